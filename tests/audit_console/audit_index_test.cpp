// The auditor's console's index (issue 17, S-7): it follows both processes'
// logs across rotations without reading a record twice, answers the console's
// filters and pages, notices an edited or removed record, and reads a record
// back from its file.
#include <catch2/catch.hpp>

#include <fstream>

#include "../audit/log_files.h"
#include "appcore/audit_console/audit_index.h"
#include "pki/audit/rotation.h"

using namespace nanbyo;
using namespace nanbyo::audit;
using namespace nanbyo::console;
using nanbyo::audit::testing::FakeClock;
using nanbyo::audit::testing::TempDir;
namespace fs = std::filesystem;

namespace {

AuditEvent gateway_connect(const std::string& serial, const std::string& hospital, bool allowed) {
  return {allowed ? "connect" : "certificate-reject",
          allowed ? Outcome::Allow : Outcome::Deny,
          serial,
          "",
          "127.0.0.1:40000",
          {{"listener", "web"}, {"hospital", hospital}, {"terminal", "pc-" + serial}}};
}

AuditEvent app_event(const std::string& event, Outcome outcome, const std::string& user,
                     const std::string& hospital, const std::string& serial) {
  return {event, outcome, user, "", hospital + "/pc-" + serial, {{"cert-serial", serial}}};
}

struct TwoLogs {
  TempDir dir;
  FakeClock clock;
  fs::path gateway = dir.path() / "gateway" / "audit.jsonl";
  fs::path appcore = dir.path() / "appcore" / "audit.jsonl";
  std::unique_ptr<AuditLog> gw_log, app_log;

  TwoLogs() {
    fs::create_directories(gateway.parent_path());
    fs::create_directories(appcore.parent_path());
    auto g = AuditLog::open(gateway, clock, {.rotate_bytes = 2000});
    auto a = AuditLog::open(appcore, clock);
    REQUIRE(g.ok());
    REQUIRE(a.ok());
    gw_log = std::move(*g);
    app_log = std::move(*a);
  }

  std::unique_ptr<AuditIndex> index() {
    auto opened = AuditIndex::open(
        dir.path() / "index.sqlite",
        {{"gateway", gateway, Writer::Gateway}, {"appcore", appcore, Writer::ApplicationCore}});
    REQUIRE(opened.ok());
    return std::move(*opened);
  }
};

std::vector<std::uint64_t> seqs(const SearchPage& page) {
  std::vector<std::uint64_t> out;
  for (const auto& r : page.records) out.push_back(r.seq);
  return out;
}

}  // namespace

TEST_CASE("the index follows a rotated log and reads each record once", "[audit_console]") {
  TwoLogs logs;
  auto index = logs.index();
  for (int i = 0; i < 10; ++i) {
    logs.clock.advance(std::chrono::seconds(1));
    REQUIRE(logs.gw_log->append(gateway_connect("0a1b", "1310000001", true)).ok());
  }
  auto first = index->catch_up();
  REQUIRE(first.ok());
  CHECK(*first == logs.gw_log->last_seq());
  // More records, rotations in between: only the new ones are read.
  for (int i = 0; i < 25; ++i) {
    logs.clock.advance(std::chrono::seconds(1));
    REQUIRE(logs.gw_log->append(gateway_connect("0a1b", "1310000001", i % 5 != 0)).ok());
  }
  REQUIRE(logs.gw_log->rotations() >= 2);
  auto second = index->catch_up();
  REQUIRE(second.ok());
  // Each rotation starts the new file with its own record.
  CHECK(*first + *second == 35 + logs.gw_log->rotations());
  CHECK(*first + *second == logs.gw_log->last_seq());
  CHECK(*index->catch_up() == 0);

  auto status = index->status();
  REQUIRE(status.ok());
  CHECK((*status)[0].name == "gateway");
  CHECK((*status)[0].records == logs.gw_log->last_seq());
  CHECK((*status)[0].last_hash == logs.gw_log->last_hash());
  CHECK((*status)[0].problem.empty());

  AuditQuery refused;
  refused.outcome = Outcome::Deny;
  auto page = index->search(refused);
  REQUIRE(page.ok());
  CHECK(page->records.size() == 5);
  for (const auto& r : page->records) CHECK(r.event == "certificate-reject");
}

TEST_CASE("the console's filters: user, hospital, terminal serial or name, log, alerts",
          "[audit_console]") {
  TwoLogs logs;
  REQUIRE(logs.gw_log->append(gateway_connect("0a1b", "1310000001", true)).ok());
  REQUIRE(logs.gw_log->append(gateway_connect("0c2d", "2710000002", false)).ok());
  REQUIRE(logs.app_log->append(app_event("login", Outcome::Allow, "A0000001", "1310000001", "0a1b"))
              .ok());
  REQUIRE(logs.app_log->append(app_event("login", Outcome::Deny, "A0000002", "2710000002", "0c2d"))
              .ok());
  REQUIRE(logs.app_log
              ->append({"illicit-operation",
                        Outcome::Deny,
                        "A0000001",
                        "",
                        "1310000001/pc-0a1b",
                        {{"rule", "new-terminal"}, {"cert-serial", "0a1b"}}})
              .ok());
  auto index = logs.index();
  REQUIRE(index->catch_up().ok());

  auto run = [&](AuditQuery q) {
    auto page = index->search(q);
    REQUIRE(page.ok());
    return page->records;
  };
  AuditQuery by_user;
  by_user.user = "A0000001";
  CHECK(run(by_user).size() == 2);  // its login and the alert about it
  AuditQuery by_hospital;
  by_hospital.hospital = "2710000002";
  auto second = run(by_hospital);
  REQUIRE(second.size() == 2);  // the gateway's refusal and the core's failed login
  AuditQuery by_serial;
  by_serial.terminal = "0a1b";
  CHECK(run(by_serial).size() == 3);
  AuditQuery by_name;
  by_name.terminal = "pc-0c2d";
  CHECK(run(by_name).size() == 2);
  AuditQuery only_gateway;
  only_gateway.log = "gateway";
  CHECK(run(only_gateway).size() == 2);
  AuditQuery alerts;
  alerts.alerts_only = true;
  auto found = run(alerts);
  REQUIRE(found.size() == 1);
  CHECK(found[0].facets.family == "new-terminal");
  CHECK(found[0].facets.severity == "WARNING");
  CHECK(found[0].log == "appcore");
  // A value that is in no record finds nothing, not everything.
  AuditQuery nobody;
  nobody.user = "Z9999999";
  CHECK(run(nobody).empty());

  auto families = index->families();
  REQUIRE(families.ok());
  CHECK(*families == std::vector<std::string>{"new-terminal"});
  auto days = index->daily("2000-01-01");
  REQUIRE(days.ok());
  std::map<std::string, std::uint64_t> totals;
  for (const auto& d : *days) totals[d.metric] += d.count;
  CHECK(totals["connection-allowed"] == 1);
  CHECK(totals["connection-refused"] == 1);
  CHECK(totals["login"] == 1);
  CHECK(totals["login-failure"] == 1);
  CHECK(totals["alert:new-terminal"] == 1);
}

TEST_CASE("pages walk back in time without repeating or skipping a record", "[audit_console]") {
  TwoLogs logs;
  for (int i = 0; i < 23; ++i) {
    // Two records per second: the cursor must break ties by row, not by time alone.
    if (i % 2 == 0) logs.clock.advance(std::chrono::seconds(1));
    REQUIRE(logs.app_log->append(app_event("login", Outcome::Allow, "A0000001", "1310000001", "0a"))
                .ok());
  }
  auto index = logs.index();
  REQUIRE(index->catch_up().ok());
  AuditQuery q;
  q.limit = 5;
  std::vector<std::uint64_t> seen;
  for (;;) {
    auto page = index->search(q);
    REQUIRE(page.ok());
    for (auto s : seqs(*page)) seen.push_back(s);
    if (!page->more) break;
    q.before = std::pair{page->records.back().time, page->records.back().id};
  }
  REQUIRE(seen.size() == 23);
  for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == 23 - i);
  CHECK(*index->count(AuditQuery{}, 1000) == 23);
  CHECK(*index->count(AuditQuery{}, 10) == 10);
}

TEST_CASE("an edited record is named, and its detail page reads the file", "[audit_console]") {
  TwoLogs logs;
  for (int i = 0; i < 3; ++i) {
    REQUIRE(logs.app_log->append(app_event("login", Outcome::Allow, "A0000001", "1310000001", "0a"))
                .ok());
  }
  auto index = logs.index();
  REQUIRE(index->catch_up().ok());
  auto page = index->search({});
  REQUIRE(page.ok());
  REQUIRE(page->records.size() == 3);
  const auto second = page->records[1];
  auto on_file = index->read_from_file(second.id);
  REQUIRE(on_file.ok());
  CHECK(on_file->state == RecordOnFile::State::Same);
  CHECK(on_file->line.find("\"seq\":2") != std::string::npos);

  // An intruder rewrites the user of record 2 in place (same length).
  auto text = read_file(logs.appcore);
  REQUIRE(text.ok());
  std::string edited = *text;
  const auto at = edited.find("A0000001", edited.find("\"seq\":2"));
  edited.replace(at, 8, "A0000009");
  std::ofstream(logs.appcore, std::ios::binary | std::ios::in) << edited;
  on_file = index->read_from_file(second.id);
  REQUIRE(on_file.ok());
  CHECK(on_file->state == RecordOnFile::State::Changed);

  // Records cut off the end of the file after they were indexed.
  {
    std::ofstream out(logs.appcore, std::ios::binary | std::ios::trunc);
    out << text->substr(0, text->find("{\"seq\":3"));
  }
  REQUIRE(index->catch_up().ok());
  auto status = index->status();
  REQUIRE(status.ok());
  CHECK_THAT((*status)[1].problem, Catch::Contains("shorter than when it was indexed"));
}

TEST_CASE("a file removed from the middle of a rotated set breaks the chain the index reads",
          "[audit_console]") {
  TwoLogs logs;
  for (int i = 0; i < 30; ++i) {
    logs.clock.advance(std::chrono::seconds(1));
    REQUIRE(logs.gw_log->append(gateway_connect("0a1b", "1310000001", true)).ok());
  }
  REQUIRE(logs.gw_log->rotations() >= 3);
  fs::remove(rotated_path(logs.gateway, 2));
  auto index = logs.index();
  REQUIRE(index->catch_up().ok());
  auto status = index->status();
  REQUIRE(status.ok());
  CHECK_THAT((*status)[0].problem, Catch::Contains("does not follow"));
}
