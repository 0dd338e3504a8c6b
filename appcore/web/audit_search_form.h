// The auditor's console's search conditions (issue 17, S-7): read from the
// query string, shown again in the search form, and carried into the paging
// and CSV links. Times are entered and shown in Japan Standard Time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "appcore/audit_console/audit_index.h"
#include "appcore/web/html.h"
#include "appcore/web/request_context.h"

namespace nanbyo::web {

struct AuditSearchForm {
  console::AuditQuery query;
  std::string since_text, until_text, outcome_text;  // as entered
  std::vector<std::string> errors;                   // Japanese, one per bad condition
};

AuditSearchForm read_audit_search(const RequestContext& ctx);

// "since=...&user=..." of the conditions (without paging), for links.
std::string audit_search_query_string(const AuditSearchForm& form);

// The search form, filled with `form`'s conditions.
Html audit_search_form_html(const AuditSearchForm& form, const std::vector<std::string>& logs,
                            const std::vector<std::string>& families);

// "2026-12-03 09:00:00" (JST) of seconds since the epoch.
std::string jst_time(std::int64_t time);
// Parses "YYYY-MM-DDTHH:MM[:SS]" or "YYYY-MM-DD" as JST; nullopt when not such a time.
std::optional<std::int64_t> parse_jst_time(const std::string& text);

}  // namespace nanbyo::web
