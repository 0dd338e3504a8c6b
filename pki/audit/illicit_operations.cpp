#include "pki/audit/illicit_operations.h"

#include <algorithm>
#include <cstdio>

namespace nanbyo::audit {
namespace {

constexpr std::size_t kForgetEvery = 4096;  // observations between sweeps of idle keys
constexpr std::chrono::hours kJapanOffset{9};
constexpr std::chrono::hours kOffHoursRepeat{1};

bool is_form_touch(std::string_view event) {
  return event == "form-view" || event == "form-print" || event == "form-export";
}

// A rule alerts again only after a whole window without an alert.
bool may_alert(bool alerted, TimePoint last_alert, TimePoint at, std::chrono::seconds window) {
  return !alerted || at - last_alert >= window;
}

std::string two_digits(long value) {
  char text[4];
  std::snprintf(text, sizeof text, "%02ld", value);
  return text;
}

}  // namespace

AuditEvent illicit_operation(const std::string& rule, const AuditEvent& about,
                             std::map<std::string, std::string> detail) {
  AuditEvent alert;
  alert.event = std::string(kIllicitOperationEvent);
  alert.outcome = Outcome::Deny;
  alert.actor = about.actor;
  alert.subject = about.subject;
  alert.source = about.source;
  alert.detail = std::move(detail);
  alert.detail["rule"] = rule;
  alert.detail["trigger"] = about.event;
  // Where it happened, as the record that completed the pattern says it: the PC certificate
  // (the application core's records), the hospital and terminal (the gateway's).
  for (const char* key : {"cert-serial", "hospital", "terminal"}) {
    if (auto it = about.detail.find(key); it != about.detail.end())
      alert.detail.emplace(key, it->second);
  }
  return alert;
}

std::string describe_alert(const AuditEvent& alert) {
  const auto rule = alert.detail.find("rule");
  std::string line =
      "illicit operation: " + (rule == alert.detail.end() ? std::string("?") : rule->second) +
      " by " + alert.actor;
  if (!alert.source.empty()) line += " at " + alert.source;
  std::string figures;
  for (const auto& [key, value] : alert.detail) {
    if (key == "rule") continue;
    figures += (figures.empty() ? "" : ", ") + key + "=" + value;
  }
  return figures.empty() ? line : line + " (" + figures + ")";
}

IllicitOperationDetector::IllicitOperationDetector(DetectionRules rules)
    : rules_(std::move(rules)) {
  for (const auto* burst :
       {&rules_.access_key_lookups, &rules_.forms_touched, &rules_.failed_logins_across_accounts,
        &rules_.old_session_after_forced_logout}) {
    longest_window_ = std::max(longest_window_, burst->window);
  }
}

bool IllicitOperationDetector::relevant(std::string_view event) const {
  return event == "access-key-lookup" || is_form_touch(event) || event == "login" ||
         event == "revoke-user" || event == "session-reject" ||
         std::find(rules_.bulk_events.begin(), rules_.bulk_events.end(), event) !=
             rules_.bulk_events.end();
}

void IllicitOperationDetector::count_burst(const DetectionRules::Burst& burst, Window& window,
                                           TimePoint at, const char* rule, const AuditEvent& event,
                                           std::vector<AuditEvent>& out) {
  if (burst.count == 0) return;
  window.times.push_back(at);
  while (!window.times.empty() && at - window.times.front() >= burst.window) {
    window.times.pop_front();
  }
  while (window.times.size() > burst.count) window.times.pop_front();
  if (window.times.size() < burst.count ||
      !may_alert(window.alerted, window.last_alert, at, burst.window)) {
    return;
  }
  window.alerted = true;
  window.last_alert = at;
  out.push_back(illicit_operation(rule, event,
                                  {{"count", std::to_string(window.times.size())},
                                   {"window-s", std::to_string(burst.window.count())}}));
}

void IllicitOperationDetector::count_distinct(const DetectionRules::Burst& burst,
                                              DistinctWindow& window, const std::string& value,
                                              TimePoint at, const char* rule,
                                              const AuditEvent& event, const char* what,
                                              std::vector<AuditEvent>& out) {
  if (burst.count == 0) return;
  auto& items = window.items;
  while (!items.empty() && at - items.front().first >= burst.window) items.pop_front();
  std::erase_if(items, [&value](const auto& item) { return item.second == value; });
  items.emplace_back(at, value);
  while (items.size() > burst.count) items.pop_front();
  if (items.size() < burst.count ||
      !may_alert(window.alerted, window.last_alert, at, burst.window)) {
    return;
  }
  window.alerted = true;
  window.last_alert = at;
  out.push_back(illicit_operation(
      rule, event,
      {{what, std::to_string(items.size())}, {"window-s", std::to_string(burst.window.count())}}));
}

bool IllicitOperationDetector::off_hours(TimePoint at) const {
  const auto local = at + kJapanOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const auto time_of_day = std::chrono::duration_cast<std::chrono::minutes>(local - day);
  const std::chrono::weekday weekday{std::chrono::sys_days(day)};
  const bool weekend = weekday == std::chrono::Saturday || weekday == std::chrono::Sunday;
  return (weekend && rules_.weekends_are_off_hours) || time_of_day < rules_.work_start ||
         time_of_day >= rules_.work_end;
}

std::vector<AuditEvent> IllicitOperationDetector::observe(const AuditEvent& event, TimePoint at,
                                                          bool learning) {
  std::vector<AuditEvent> out;
  if (++observed_ % kForgetEvery == 0) forget_idle(at);
  const std::string_view name = event.event;
  const bool allowed = event.outcome == Outcome::Allow;

  if (name == "login" && allowed && rules_.new_terminal && !event.source.empty()) {
    auto& known = terminals_[event.actor];
    if (!learning && !known.empty() && !known.contains(event.source)) {
      out.push_back(illicit_operation("new-terminal", event,
                                      {{"known-terminals", std::to_string(known.size())}}));
    }
    known.insert(event.source);
    return out;
  }
  if (name == "revoke-user") {
    forced_logouts_[event.subject] = at;
    return out;
  }
  if (learning) return out;

  if (name == "access-key-lookup") {
    count_burst(rules_.access_key_lookups, key_lookups_[event.actor], at, "access-key-burst", event,
                out);
  }
  if (is_form_touch(name) && allowed && !event.subject.empty()) {
    count_distinct(rules_.forms_touched, forms_[event.actor], event.subject, at, "forms-burst",
                   event, "forms", out);
  }
  if (allowed &&
      std::find(rules_.bulk_events.begin(), rules_.bulk_events.end(), name) !=
          rules_.bulk_events.end() &&
      off_hours(at)) {
    auto [last, first_time] = off_hours_alerted_.try_emplace(event.actor, at);
    if (first_time || at - last->second >= kOffHoursRepeat) {
      last->second = at;
      const auto local = at + kJapanOffset;
      const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(
          local - std::chrono::floor<std::chrono::days>(local));
      out.push_back(illicit_operation(
          "off-hours-bulk", event,
          {{"local-time",
            two_digits(minutes.count() / 60) + ":" + two_digits(minutes.count() % 60) + " JST"}}));
    }
  }
  if (name == "login" && event.outcome == Outcome::Deny && !event.source.empty()) {
    count_distinct(rules_.failed_logins_across_accounts, failed_logins_[event.source],
                   event.subject, at, "failed-logins-across-accounts", event, "accounts", out);
  }
  if (name == "session-reject" && rules_.old_session_after_forced_logout.count > 0) {
    const auto user = event.detail.find("user");
    if (user != event.detail.end()) {
      const auto forced = forced_logouts_.find(user->second);
      if (forced != forced_logouts_.end() &&
          at - forced->second < rules_.old_session_after_forced_logout.window) {
        AuditEvent about = event;
        about.subject = user->second;
        count_burst(rules_.old_session_after_forced_logout, old_sessions_[user->second], at,
                    "old-session-after-forced-logout", about, out);
      }
    }
  }
  return out;
}

void IllicitOperationDetector::forget_idle(TimePoint at) {
  const auto idle = [&](TimePoint last) { return at - last >= longest_window_; };
  const auto idle_window = [&](const auto& entry) {
    return entry.second.times.empty() || idle(entry.second.times.back());
  };
  std::erase_if(key_lookups_, idle_window);
  std::erase_if(old_sessions_, idle_window);
  std::erase_if(forms_, [&](const auto& entry) {
    return entry.second.items.empty() || idle(entry.second.items.back().first);
  });
  std::erase_if(failed_logins_, [&](const auto& entry) {
    return entry.second.items.empty() || idle(entry.second.items.back().first);
  });
  std::erase_if(forced_logouts_, [&](const auto& entry) {
    return at - entry.second >= rules_.old_session_after_forced_logout.window;
  });
  std::erase_if(off_hours_alerted_,
                [&](const auto& entry) { return at - entry.second >= kOffHoursRepeat; });
}

}  // namespace nanbyo::audit
