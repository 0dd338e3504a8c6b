// The request-rate stage (IPS, issue 14): a source address over the policy's requests per
// second gets 429. Only the first refusal of a run is audited; the metric counts them all.
#pragma once

#include "gateway/stages/request_chain.h"

namespace nanbyo::gw {

class RateLimitStage final : public RequestStage {
 public:
  StageVerdict run(RequestView& view) const override;
};

}  // namespace nanbyo::gw
