// Detection of illicit operations over the audit stream (S-7: 利用者の操作を監視し、不正な操作が
// ないか監視できる; issue 17). The detector sees every record a process writes, in order, and
// raises an alert when a rule's pattern appears. Each rule has thresholds in the rules file
// (policy/detection_rules.h); a count of 0 turns it off.
//
//   access-key-burst     one user looks up many access keys (access-key-lookup, any outcome)
//   forms-burst          one user views, prints or exports many distinct forms
//   new-terminal         a user logs in from a terminal (hospital/PC) never used before
//   off-hours-bulk       an import or export outside working hours (JST, weekdays)
//   failed-logins-across-accounts
//                        failed logins to several different accounts from one terminal
//   old-session-after-forced-logout
//                        a session of a user whose logout was forced (revoke-user) is used
//                        again (the gateway's session-reject)
//
// An alert is itself an audit event ("illicit-operation", outcome deny) with the rule and the
// figures; a rule alerts once per subject and window while the pattern goes on. Memory is
// bounded: per-key history holds at most a threshold's worth of entries, and keys idle for
// longer than every window are dropped. Not thread-safe: the caller serialises observe().
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pki/audit/audit_record.h"
#include "pki/clock.h"

namespace nanbyo::audit {

struct DetectionRules {
  struct Burst {
    unsigned count = 0;  // 0: the rule is off
    std::chrono::seconds window{0};
  };
  Burst access_key_lookups{20, std::chrono::minutes(10)};
  Burst forms_touched{50, std::chrono::hours(1)};
  bool new_terminal = true;
  // Working hours in Japan Standard Time (UTC+9, no daylight saving), Monday to Friday.
  std::chrono::minutes work_start{8 * 60};
  std::chrono::minutes work_end{20 * 60};
  bool weekends_are_off_hours = true;
  std::vector<std::string> bulk_events{"form-import", "form-paper-import", "doctor-import",
                                       "form-export"};
  Burst failed_logins_across_accounts{3, std::chrono::minutes(15)};
  Burst old_session_after_forced_logout{1, std::chrono::hours(24)};
};

inline constexpr std::string_view kIllicitOperationEvent = "illicit-operation";
inline constexpr std::array<std::string_view, 6> kIllicitOperationRules{
    "access-key-burst",
    "forms-burst",
    "new-terminal",
    "off-hours-bulk",
    "failed-logins-across-accounts",
    "old-session-after-forced-logout"};

// Alerts by rule, for the metrics: relaxed atomics, counted from any thread.
class AlertCounts {
 public:
  void count(std::string_view rule) {
    for (std::size_t i = 0; i < kIllicitOperationRules.size(); ++i) {
      if (kIllicitOperationRules[i] == rule) counts_[i].fetch_add(1, std::memory_order_relaxed);
    }
  }
  std::uint64_t at(std::size_t i) const { return counts_[i].load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<std::uint64_t>, kIllicitOperationRules.size()> counts_{};
};

class IllicitOperationDetector {
 public:
  explicit IllicitOperationDetector(DetectionRules rules);

  // Whether `event` can matter to any rule: the caller may skip the rest (and its lock).
  bool relevant(std::string_view event) const;

  // Feeds one record written at `at`; answers the alerts it raises. `learning`: a replay of
  // the history at start, which teaches the known terminals and raises nothing.
  std::vector<AuditEvent> observe(const AuditEvent& event, TimePoint at, bool learning = false);

  const DetectionRules& rules() const { return rules_; }
  // New thresholds (a policy reload); what was learnt and counted so far stays.
  void set_rules(DetectionRules rules) { rules_ = std::move(rules); }

 private:
  struct Window {
    std::deque<TimePoint> times;
    TimePoint last_alert{};
    bool alerted = false;
  };
  struct DistinctWindow {
    std::deque<std::pair<TimePoint, std::string>> items;  // time, distinct value
    TimePoint last_alert{};
    bool alerted = false;
  };

  void count_burst(const DetectionRules::Burst& burst, Window& window, TimePoint at,
                   const char* rule, const AuditEvent& event, std::vector<AuditEvent>& out);
  void count_distinct(const DetectionRules::Burst& burst, DistinctWindow& window,
                      const std::string& value, TimePoint at, const char* rule,
                      const AuditEvent& event, const char* what, std::vector<AuditEvent>& out);
  bool off_hours(TimePoint at) const;
  void forget_idle(TimePoint at);

  DetectionRules rules_;
  std::chrono::seconds longest_window_{0};
  std::map<std::string, Window> key_lookups_;               // by user
  std::map<std::string, DistinctWindow> forms_;             // by user
  std::map<std::string, std::set<std::string>> terminals_;  // by user: hospital/terminal
  std::map<std::string, DistinctWindow> failed_logins_;     // by terminal
  std::map<std::string, TimePoint> forced_logouts_;         // by user
  std::map<std::string, Window> old_sessions_;              // by user: uses after the logout
  std::map<std::string, TimePoint> off_hours_alerted_;      // by user: once an hour
  std::size_t observed_ = 0;
};

// One line for the journal: "illicit operation: <rule> by <actor> at <source> (k=v, ...)".
std::string describe_alert(const AuditEvent& alert);

// The alert event of `rule` about `about` (its actor, subject and source), with `detail`.
AuditEvent illicit_operation(const std::string& rule, const AuditEvent& about,
                             std::map<std::string, std::string> detail);

}  // namespace nanbyo::audit
