#include "gateway/stages/request_chain.h"

#include "gateway/stages/audit_stage.h"
#include "gateway/stages/http_hygiene.h"
#include "gateway/stages/identity_headers.h"
#include "gateway/stages/inspection_stage.h"
#include "gateway/stages/rate_limit_stage.h"
#include "gateway/stages/route_stage.h"

namespace nanbyo::gw {
namespace {

template <typename... Stages>
RequestChain chain_of() {
  std::vector<std::unique_ptr<const RequestStage>> stages;
  (stages.push_back(std::make_unique<const Stages>()), ...);
  return RequestChain(std::move(stages));
}

}  // namespace

RequestChain::RequestChain(std::vector<std::unique_ptr<const RequestStage>> stages)
    : stages_(std::move(stages)) {}

StageVerdict RequestChain::run(RequestView& view) const {
  for (const auto& stage : stages_) {
    StageVerdict verdict = stage->run(view);
    if (!verdict.proceed) return verdict;
  }
  return {};
}

const RequestChain& RequestChain::edge() {
  static const RequestChain chain = chain_of<AuditStage, HttpHygiene, RateLimitStage>();
  return chain;
}

const RequestChain& RequestChain::proxy() {
  static const RequestChain chain = chain_of<RouteStage, InspectionStage, IdentityHeaders>();
  return chain;
}

}  // namespace nanbyo::gw
