#include "gateway/stages/rate_limit_stage.h"

#include "gateway/ips/subject.h"

namespace nanbyo::gw {

StageVerdict RateLimitStage::run(RequestView& view) const {
  if (!view.ips || !view.ips_settings || view.ips_settings->request_rate == 0) return {};
  const std::string source = ips::source_of_peer(view.peer);
  const ips::Admission admitted = view.ips->admit_request(source, *view.ips_settings);
  if (admitted.allowed) return {};
  StageVerdict verdict = StageVerdict::refuse(
      http::status::too_many_requests, "rate-limit",
      "over " + std::to_string(view.ips_settings->request_rate) + " requests/s from " + source);
  verdict.audit = admitted.first_refusal;
  return verdict;
}

}  // namespace nanbyo::gw
