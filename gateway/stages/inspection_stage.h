// The inspection stage (S-3, issue 14): the request as the client sent it (after hygiene,
// before the gateway's identity headers) through the route's rule set; a blocking rule set
// that decides against it refuses it with 403. The alerts go on the view for the session's
// audit record either way (detection-only routes log without blocking).
#pragma once

#include "gateway/stages/request_chain.h"

namespace nanbyo::gw {

class InspectionStage final : public RequestStage {
 public:
  StageVerdict run(RequestView& view) const override;
};

}  // namespace nanbyo::gw
