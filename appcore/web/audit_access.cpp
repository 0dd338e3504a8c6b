#include "appcore/web/audit_access.h"

#include "appcore/core/principal_event.h"
#include "appcore/web/route_support.h"
#include "service/journal.h"

namespace nanbyo::web {

console::AuditIndex* audit_index_of(RequestContext& ctx, std::optional<Response>& error) {
  console::AuditIndex* index = ctx.services.audit_index;
  if (!index) {
    error = error_response(ctx, http::status::service_unavailable, "audit-console-off",
                           "監査ログの索引が設定されていません（audit-index）。");
    return nullptr;
  }
  if (auto caught_up = index->catch_up(); !caught_up) {
    service::log(service::Priority::Error, "nanbyo-appcore", caught_up.error().message);
    error = error_response(ctx, http::status::internal_server_error, "audit-index",
                           "監査ログの索引を更新できません: " + caught_up.error().message);
    return nullptr;
  }
  return index;
}

Result<void> record_console_action(RequestContext& ctx, const std::string& event,
                                   audit::Outcome outcome,
                                   std::map<std::string, std::string> detail) {
  if (!ctx.services.audit) return {};
  return ctx.services.audit->append(
      appcore::principal_event(ctx.who(), event, outcome, "audit-log", std::move(detail)));
}

}  // namespace nanbyo::web
