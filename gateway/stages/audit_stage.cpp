#include "gateway/stages/audit_stage.h"

namespace nanbyo::gw {

StageVerdict AuditStage::run(RequestView& view) const {
  if (view.policy.audit.on_failure != policy::Audit::OnFailure::Refuse || !view.audit) return {};
  if (view.audit->writable()) return {};
  return StageVerdict::refuse(http::status::service_unavailable, "audit-unavailable",
                              "the audit log cannot be written and the policy says refuse");
}

}  // namespace nanbyo::gw
