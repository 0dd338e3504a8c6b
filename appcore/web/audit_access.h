// What the auditor's console pages share (issue 17, S-7): the index brought up
// to date before each page, and the console's own audit records (an auditor's
// searches and exports are themselves audited).
#pragma once

#include <map>
#include <string>

#include "appcore/audit_console/audit_index.h"
#include "appcore/web/request_context.h"
#include "appcore/web/responses.h"

namespace nanbyo::web {

// The index after catching up, or null with `error` set to a page to return.
console::AuditIndex* audit_index_of(RequestContext& ctx, std::optional<Response>& error);

// Writes one record about the auditor's own action to the application core's
// log. Fails when it cannot be written: the action is then refused (fail closed).
Result<void> record_console_action(RequestContext& ctx, const std::string& event,
                                   audit::Outcome outcome,
                                   std::map<std::string, std::string> detail);

}  // namespace nanbyo::web
