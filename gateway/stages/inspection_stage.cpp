#include "gateway/stages/inspection_stage.h"

namespace nanbyo::gw {

StageVerdict InspectionStage::run(RequestView& view) const {
  if (!view.inspector) return {};
  view.inspection = view.inspector->inspect(view.request, view.peer, view.route);
  if (!view.inspection.blocked) return {};
  std::string rules;
  for (const auto& alert : view.inspection.alerts) {
    rules += (rules.empty() ? "" : ",") + alert.rule_id;
  }
  return StageVerdict::refuse(
      http::status::forbidden, "inspection",
      "anomaly score " + std::to_string(view.inspection.anomaly_score) + ", rules " + rules);
}

}  // namespace nanbyo::gw
