// The illicit-operation rules (S-7, issue 17): each rule raises its alert on the pattern it
// names and stays quiet on the normal work of a day at a hospital or a municipality.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "pki/audit/audit_log.h"
#include "pki/audit/audit_sink.h"
#include "pki/audit/detecting_sink.h"
#include "pki/audit/illicit_operations.h"
#include "policy/detection_rules.h"

using namespace nanbyo;
using namespace nanbyo::audit;
using namespace std::chrono_literals;

namespace {

// 2026-12-02 (a Wednesday) at `hh`:`mm` JST, as the records' UTC time.
TimePoint jst(int hh, int mm, int day = 2) {
  return std::chrono::sys_days(std::chrono::year(2026) / 12 / day) + std::chrono::hours(hh) +
         std::chrono::minutes(mm) - 9h;
}

AuditEvent event(std::string name, Outcome outcome, std::string actor, std::string subject = "",
                 std::string source = "1310000001/pc01",
                 std::map<std::string, std::string> detail = {}) {
  return AuditEvent{std::move(name),    outcome,           std::move(actor),
                    std::move(subject), std::move(source), std::move(detail)};
}

struct Run {
  IllicitOperationDetector detector;
  std::vector<AuditEvent> alerts;

  explicit Run(DetectionRules rules = {}) : detector(std::move(rules)) {}
  void see(const AuditEvent& e, TimePoint at) {
    for (auto& alert : detector.observe(e, at)) alerts.push_back(std::move(alert));
  }
  std::vector<std::string> rules() const {
    std::vector<std::string> out;
    for (const auto& a : alerts) out.push_back(a.detail.at("rule"));
    return out;
  }
};

// A normal day: a doctor logs in at his PC, looks up a few access keys, views and saves his
// patients' forms, exports a handful in the afternoon; a clerk mistypes her password once.
void normal_day(Run& run) {
  run.see(event("login", Outcome::Allow, "D0001"), jst(9, 0));
  for (int i = 0; i < 8; ++i) {
    run.see(event("access-key-lookup", Outcome::Allow, "D0001", "F" + std::to_string(i)),
            jst(9, 5 + i * 5));
    run.see(event("form-view", Outcome::Allow, "D0001", "F" + std::to_string(i)),
            jst(9, 6 + i * 5));
  }
  for (int i = 0; i < 5; ++i) {
    run.see(event("form-export", Outcome::Allow, "D0001", "F" + std::to_string(i)), jst(15, i));
  }
  run.see(event("login", Outcome::Deny, "anonymous", "C0002", "1310000001/pc02"), jst(10, 0));
  run.see(event("login", Outcome::Allow, "C0002", "", "1310000001/pc02"), jst(10, 1));
  run.see(event("form-import", Outcome::Allow, "C0002", "batch-1", "1310000001/pc02"), jst(11, 0));
  run.see(event("login", Outcome::Allow, "D0001"), jst(13, 0));  // the same PC after lunch
}

}  // namespace

TEST_CASE("S-7 a normal day raises no illicit-operation alert", "[detection]") {
  Run run;
  normal_day(run);
  CHECK(run.alerts.empty());
}

TEST_CASE("S-7 many access-key lookups by one user raise access-key-burst once", "[detection]") {
  Run run;
  for (int i = 0; i < 30; ++i) {
    run.see(event("access-key-lookup", i % 3 ? Outcome::Deny : Outcome::Allow, "D0001"),
            jst(9, 0) + std::chrono::seconds(i * 10));
  }
  REQUIRE(run.rules() == std::vector<std::string>{"access-key-burst"});
  CHECK(run.alerts[0].actor == "D0001");
  CHECK(run.alerts[0].event == kIllicitOperationEvent);
  CHECK(run.alerts[0].outcome == Outcome::Deny);
  CHECK(run.alerts[0].detail.at("count") == "20");
  SECTION("spread over hours the same lookups are quiet") {
    Run slow;
    for (int i = 0; i < 30; ++i) {
      slow.see(event("access-key-lookup", Outcome::Allow, "D0001"), jst(8, 0) + i * 1min * 31);
    }
    CHECK(slow.alerts.empty());
  }
}

TEST_CASE("S-7 one user viewing or exporting many patients' forms raises forms-burst",
          "[detection]") {
  Run run;
  for (int i = 0; i < 60; ++i) {
    run.see(event(i % 2 ? "form-view" : "form-export", Outcome::Allow, "M0100",
                  "F" + std::to_string(i), "municipality/131016"),
            jst(10, 0) + i * 20s);
  }
  REQUIRE(run.rules() == std::vector<std::string>{"forms-burst"});
  CHECK(run.alerts[0].detail.at("forms") == "50");
  SECTION("the same few forms opened again and again are quiet") {
    Run again;
    for (int i = 0; i < 200; ++i) {
      again.see(event("form-view", Outcome::Allow, "D0001", "F" + std::to_string(i % 5)),
                jst(10, 0) + i * 10s);
    }
    CHECK(again.alerts.empty());
  }
}

TEST_CASE("S-7 a login from a terminal the user has not used raises new-terminal", "[detection]") {
  Run run;
  run.see(event("login", Outcome::Allow, "D0001", "", "1310000001/pc01"), jst(9, 0));
  run.see(event("login", Outcome::Allow, "D0001", "", "1310000001/pc01"), jst(13, 0));
  CHECK(run.alerts.empty());
  run.see(event("login", Outcome::Allow, "D0001", "", "1320000009/pc77", {{"cert-serial", "7CC6"}}),
          jst(14, 0));
  REQUIRE(run.rules() == std::vector<std::string>{"new-terminal"});
  CHECK(run.alerts[0].source == "1320000009/pc77");
  CHECK(run.alerts[0].detail.at("cert-serial") == "7CC6");  // the console finds it by the PC
  CHECK(run.alerts[0].detail.at("known-terminals") == "1");
  SECTION("terminals learnt from the history at start are known") {
    Run restarted;
    restarted.detector.observe(event("login", Outcome::Allow, "D0001", "", "1310000001/pc03"),
                               jst(9, 0, 1), true);
    restarted.see(event("login", Outcome::Allow, "D0001", "", "1310000001/pc03"), jst(9, 0));
    CHECK(restarted.alerts.empty());
  }
}

TEST_CASE("S-7 an import or export outside working hours raises off-hours-bulk", "[detection]") {
  Run run;
  run.see(event("form-import", Outcome::Allow, "C0002", "batch-9"), jst(23, 40));
  run.see(event("form-import", Outcome::Allow, "C0002", "batch-10"), jst(23, 50));  // same hour
  run.see(event("doctor-import", Outcome::Allow, "O0001", "csv"), jst(10, 0, 5));   // Saturday
  REQUIRE(run.rules() == std::vector<std::string>{"off-hours-bulk", "off-hours-bulk"});
  CHECK(run.alerts[0].detail.at("local-time") == "23:40 JST");
  SECTION("the same import at 11:00 on a weekday is quiet, and so is a refused one") {
    Run day;
    day.see(event("form-import", Outcome::Allow, "C0002"), jst(11, 0));
    day.see(event("form-import", Outcome::Deny, "C0002"), jst(23, 0));
    CHECK(day.alerts.empty());
  }
}

TEST_CASE("S-7 failed logins to several accounts from one terminal raise an alert", "[detection]") {
  Run run;
  for (const char* user : {"D0001", "D0002", "D0003", "D0004"}) {
    run.see(event("login", Outcome::Deny, "anonymous", user, "1310000001/pc09"), jst(9, 0));
  }
  REQUIRE(run.rules() == std::vector<std::string>{"failed-logins-across-accounts"});
  CHECK(run.alerts[0].source == "1310000001/pc09");
  CHECK(run.alerts[0].detail.at("accounts") == "3");
  SECTION("one user mistyping her own password five times is quiet") {
    Run own;
    for (int i = 0; i < 5; ++i) {
      own.see(event("login", Outcome::Deny, "anonymous", "D0001", "1310000001/pc09"), jst(9, i));
    }
    CHECK(own.alerts.empty());
  }
}

TEST_CASE("S-7 a session used after its user's forced logout raises an alert", "[detection]") {
  Run run;
  run.see(event("revoke-user", Outcome::Info, "appcore", "D0001", ""), jst(9, 0));
  run.see(event("session-reject", Outcome::Deny, "7CC67A9D", "", "10.0.0.5:50000",
                {{"check", "user-revoked"}, {"user", "D0001"}}),
          jst(9, 5));
  REQUIRE(run.rules() == std::vector<std::string>{"old-session-after-forced-logout"});
  CHECK(run.alerts[0].subject == "D0001");
  SECTION("a session reject of another user, or long after, is quiet") {
    Run other;
    other.see(event("revoke-user", Outcome::Info, "appcore", "D0001", ""), jst(9, 0));
    other.see(event("session-reject", Outcome::Deny, "x", "", "", {{"user", "D0002"}}), jst(9, 1));
    other.see(event("session-reject", Outcome::Deny, "x", "", "", {{"user", "D0001"}}),
              jst(9, 0, 4));
    CHECK(other.alerts.empty());
  }
}

TEST_CASE("S-7 the rules file sets thresholds and refuses what it cannot mean", "[detection]") {
  auto rules = policy::parse_detection_rules(R"(
access_key_lookups: {count: 5, window_s: 60}
new_terminal: false
working_hours: {start: "07:30", end: "22:00", weekends_off: false}
bulk_events: [form-export]
)",
                                             "detection.yaml");
  REQUIRE(rules);
  CHECK(rules->access_key_lookups.count == 5);
  CHECK(rules->access_key_lookups.window == 60s);
  CHECK(rules->forms_touched.count == 50);  // left out: built in
  CHECK_FALSE(rules->new_terminal);
  CHECK(rules->work_start == 7h + 30min);
  CHECK(rules->bulk_events == std::vector<std::string>{"form-export"});
  Run run(*rules);
  run.see(event("form-import", Outcome::Allow, "C0002"), jst(23, 0));           // no longer bulk
  run.see(event("form-export", Outcome::Allow, "C0002", "F1"), jst(10, 0, 5));  // Saturday: on
  CHECK(run.alerts.empty());

  CHECK(policy::parse_detection_rules("", "empty.yaml"));
  const std::vector<std::pair<std::string, std::string>> bad{
      {"access_key_lookups: {count: -1}",
       "detection.yaml:1:29: access_key_lookups.count: expected an integer from 0 to 100000"},
      {"working_hours: {start: \"25:00\"}", "no such time of day"},
      {"working_hours: {start: \"18:00\", end: \"09:00\"}", "must come after its start"},
      {"bulk_events: [Form_Import]", "expected an audit event name"},
      {"psk: 1", "unknown key"},
      {"a: [", "invalid YAML"},
  };
  for (const auto& [text, message] : bad) {
    auto refused = policy::parse_detection_rules(text, "detection.yaml");
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error().message, Catch::Contains(message));
  }
}

TEST_CASE("S-7 the shipped rules file states the built-in thresholds", "[detection]") {
  auto shipped = policy::load_detection_rules(std::string(NANBYO_SOURCE_DIR) +
                                              "/packaging/etc/detection.yaml");
  REQUIRE(shipped);
  const DetectionRules built_in;
  for (const auto& [file, code] :
       {std::pair{shipped->access_key_lookups, built_in.access_key_lookups},
        std::pair{shipped->forms_touched, built_in.forms_touched},
        std::pair{shipped->failed_logins_across_accounts, built_in.failed_logins_across_accounts},
        std::pair{shipped->old_session_after_forced_logout,
                  built_in.old_session_after_forced_logout}}) {
    CHECK(file.count == code.count);
    CHECK(file.window == code.window);
  }
  CHECK(shipped->new_terminal == built_in.new_terminal);
  CHECK(shipped->work_start == built_in.work_start);
  CHECK(shipped->work_end == built_in.work_end);
  CHECK(shipped->weekends_are_off_hours == built_in.weekends_are_off_hours);
  CHECK(shipped->bulk_events == built_in.bulk_events);
}

TEST_CASE("S-7 the detecting sink writes the alert right after the record that completes it",
          "[detection]") {
  MemoryAuditSink inner;
  SystemClock clock;
  DetectionRules rules;
  rules.access_key_lookups = {3, 60s};
  std::vector<std::string> reported;
  DetectingSink sink(inner, rules, clock,
                     [&](const AuditEvent& alert) { reported.push_back(describe_alert(alert)); });
  REQUIRE(sink.append(event("access-key-lookup", Outcome::Allow, "D0001", "F1")));
  sink.record(event("connect", Outcome::Allow, "7CC6"));  // no rule reads it
  REQUIRE(sink.append(event("access-key-lookup", Outcome::Deny, "D0001")));
  sink.record(event("access-key-lookup", Outcome::Deny, "D0001"));
  const auto written = inner.events();
  REQUIRE(written.size() == 5);
  CHECK(written[3].event == "access-key-lookup");
  CHECK(written[4].event == kIllicitOperationEvent);
  CHECK(written[4].detail.at("rule") == "access-key-burst");
  REQUIRE(reported.size() == 1);
  CHECK_THAT(reported[0], Catch::StartsWith("illicit operation: access-key-burst by D0001 at "
                                            "1310000001/pc01 (count=3"));
  SECTION("nothing is detected from records the inner sink refused") {
    inner.fail_writes(true);
    CHECK_FALSE(sink.append(event("access-key-lookup", Outcome::Allow, "D0002")));
    CHECK(inner.events().size() == 5);
  }
}

TEST_CASE("S-7 new thresholds from a reload apply to the next records", "[detection]") {
  MemoryAuditSink inner;
  SystemClock clock;
  DetectionRules rules;
  rules.access_key_lookups = {3, 60s};
  DetectingSink sink(inner, rules, clock, {});
  REQUIRE(sink.append(event("access-key-lookup", Outcome::Allow, "D0001")));
  rules.access_key_lookups = {10, 60s};
  sink.set_rules(rules);
  for (int i = 0; i < 5; ++i)
    REQUIRE(sink.append(event("access-key-lookup", Outcome::Allow, "D0001")));
  for (const auto& e : inner.events()) CHECK(e.event != kIllicitOperationEvent);
  rules.access_key_lookups = {3, 60s};
  sink.set_rules(rules);
  REQUIRE(sink.append(event("access-key-lookup", Outcome::Allow, "D0001")));
  CHECK(inner.events().back().event == kIllicitOperationEvent);
}

TEST_CASE("S-7 after a restart the terminals in the audit log are known", "[detection]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("detection-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  SystemClock clock;
  {
    auto log = AuditLog::open(dir / "appcore.jsonl", clock).value();
    REQUIRE(log->append(event("login", Outcome::Allow, "D0001", "", "1310000001/pc01")));
    REQUIRE(log->append(event("form-view", Outcome::Allow, "D0001", "F1")));
  }
  MemoryAuditSink inner;
  DetectingSink sink(inner, {}, clock, {});
  auto learnt = sink.learn_from(dir / "appcore.jsonl");
  REQUIRE(learnt);
  CHECK(*learnt == 2);
  CHECK(inner.events().empty());  // learning raises nothing
  sink.record(event("login", Outcome::Allow, "D0001", "", "1310000001/pc01"));
  CHECK(inner.events().size() == 1);
  sink.record(event("login", Outcome::Allow, "D0001", "", "1310000001/pc02"));
  REQUIRE(inner.events().size() == 3);
  CHECK(inner.events()[2].detail.at("rule") == "new-terminal");
  std::filesystem::remove_all(dir);
}
