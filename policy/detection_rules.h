// The rules file of the illicit-operation detector (S-7, issue 17;
// pki/audit/illicit_operations.h), e.g. /etc/nanbyo/detection.yaml, read by both processes
// (the gateway's audit.detection_rules, the application core's detection-rules). Every key
// is optional; what is left out keeps the built-in threshold. docs/detection.md lists them.
//
//   access_key_lookups: {count: 20, window_s: 600}
//   forms_touched: {count: 50, window_s: 3600}
//   new_terminal: true
//   working_hours: {start: "08:00", end: "20:00", weekends_off: true}   # JST
//   bulk_events: [form-import, form-paper-import, doctor-import, form-export]
//   failed_logins_across_accounts: {count: 3, window_s: 900}
//   old_session_after_forced_logout: {count: 1, window_s: 86400}
#pragma once

#include <filesystem>
#include <string_view>

#include "pki/audit/illicit_operations.h"
#include "pki/result.h"

namespace nanbyo::policy {

Result<audit::DetectionRules> parse_detection_rules(std::string_view text, std::string_view name);
// `shown_as`: how messages name the file (e.g. as the policy wrote it); the path when empty.
Result<audit::DetectionRules> load_detection_rules(const std::filesystem::path& file,
                                                   std::string_view shown_as = {});

}  // namespace nanbyo::policy
