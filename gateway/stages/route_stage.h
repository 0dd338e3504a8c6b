// The route of a request and the hospitals it admits (S-1): the target is normalized
// first (request_target.h) and the upstream gets the normalized target.
#pragma once

#include "gateway/stages/request_chain.h"

namespace nanbyo::gw {

class RouteStage final : public RequestStage {
 public:
  StageVerdict run(RequestView& view) const override;
};

}  // namespace nanbyo::gw
