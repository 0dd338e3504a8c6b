// `nanbyoctl audit verify|show|tail` on a rotated log (issue 17, S-7, O-2): the set verifies
// as one chain, a file removed from the middle and a tail cut after the last journal anchor
// fail with the file named, --json is machine-readable, show filters, tail reads across files.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "pki/audit/anchor.h"
#include "pki/audit/audit_log.h"
#include "pki/audit/rotation.h"
#include "service_fixture.h"

using namespace nanbyo;
using namespace nanbyo::testing;
namespace fs = std::filesystem;

namespace {

struct RotatedCliLog {
  TempDir dir;
  FakeClock clock;
  fs::path live = dir.path() / "gateway.jsonl";
  audit::ChainPosition end;

  RotatedCliLog() {
    auto log = audit::AuditLog::open(live, clock, {.rotate_bytes = 700});
    REQUIRE(log.ok());
    for (int i = 1; i <= 9; ++i) {
      clock.advance(std::chrono::hours(1));
      audit::AuditEvent event;
      event.event = i % 3 == 0 ? "login" : "tls-reject";
      event.outcome = i % 3 == 0 ? audit::Outcome::Allow : audit::Outcome::Deny;
      event.actor = "serial-" + std::to_string(i);
      event.source = "192.0.2." + std::to_string(i);
      event.detail = {{"check", "crl"}};
      REQUIRE((*log)->append(event).ok());
    }
    REQUIRE((*log)->rotations() >= 2);
    end = (*log)->position();
  }

  ProcessResult ctl(std::vector<std::string> args) const {
    args.insert(args.begin(), "audit");
    return run_nanbyoctl(args, dir.path());
  }
  // The anchor as `journalctl -o json` prints it.
  fs::path journal_anchors() const {
    nlohmann::json entry = {{"MESSAGE_ID", std::string(audit::kAnchorMessageId)},
                            {"NANBYO_AUDIT_FILE", live.string()},
                            {"NANBYO_AUDIT_SEQ", std::to_string(end.seq)},
                            {"NANBYO_AUDIT_HASH", end.hash}};
    const fs::path file = dir.path() / "anchors.json";
    std::ofstream(file) << entry.dump() << "\n";
    return file;
  }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(text.substr(start, nl - start));
  }
  return lines;
}

}  // namespace

TEST_CASE_METHOD(RotatedCliLog,
                 "O-2 audit verify checks the rotated set as one chain, in text and JSON",
                 "[nanbyoctl][audit]") {
  auto files = audit::list_set(live);
  REQUIRE(files.ok());
  auto text = ctl({"verify", live.string(), "--anchors", journal_anchors().string()});
  CHECK(text.err.empty());
  CHECK(text.exit_code == 0);
  CHECK(text.out == "OK: " + std::to_string(end.seq) + " records in " +
                        std::to_string(files->size()) + " files, last hash " + end.hash +
                        "; 1 of 1 anchors matched\n");

  auto json = ctl({"verify", dir.path().string(), "--json"});
  CHECK(json.exit_code == 0);
  auto parsed = nlohmann::json::parse(json.out);
  CHECK(parsed["ok"] == true);
  CHECK(parsed["log"] == live.string());
  CHECK(parsed["last_seq"] == end.seq);
  CHECK(parsed["files"].size() == files->size());
}

TEST_CASE_METHOD(RotatedCliLog, "O-2 audit verify --json names a file removed from the middle",
                 "[nanbyoctl][audit]") {
  fs::remove(audit::rotated_path(live, 2));
  auto result = ctl({"verify", live.string(), "--json"});
  CHECK(result.exit_code == 1);
  auto parsed = nlohmann::json::parse(result.out);
  CHECK(parsed["ok"] == false);
  CHECK(parsed["error"].get<std::string>().find(
            "chain broken between gateway.jsonl.000001 and gateway.jsonl.000003") !=
        std::string::npos);
}

TEST_CASE_METHOD(RotatedCliLog, "O-2 audit verify with the journal's anchors catches a cut tail",
                 "[nanbyoctl][audit]") {
  std::ifstream in(live);
  std::string content((std::istreambuf_iterator<char>(in)), {});
  content.erase(content.rfind('\n', content.size() - 2) + 1);  // the last record
  std::ofstream(live, std::ios::trunc) << content;
  CHECK(ctl({"verify", live.string()}).exit_code == 0);  // the chain alone cannot tell
  auto result = ctl({"verify", live.string(), "--anchors", journal_anchors().string()});
  CHECK(result.exit_code == 1);
  CHECK(result.err == "nanbyoctl: error: audit log " + live.string() +
                          ": records removed from the end: the log ends at seq " +
                          std::to_string(end.seq - 1) + ", but an anchor names seq " +
                          std::to_string(end.seq) + " (" + end.hash + ")\n");
}

TEST_CASE_METHOD(RotatedCliLog, "O-2 audit show filters by event, outcome and time across files",
                 "[nanbyoctl][audit]") {
  auto logins = ctl({"show", live.string(), "--event", "login", "--json"});
  CHECK(logins.exit_code == 0);
  auto lines = lines_of(logins.out);
  REQUIRE(lines.size() == 3);
  for (const auto& line : lines) CHECK(nlohmann::json::parse(line)["event"] == "login");

  auto denied = ctl({"show", live.string(), "--outcome", "deny"});
  CHECK(lines_of(denied.out).size() == 6);
  CHECK(denied.out.find("  tls-reject  deny  actor=serial-1  source=192.0.2.1  check=crl\n") !=
        std::string::npos);

  const std::string third_hour = format_utc(FakeClock().now() + std::chrono::hours(3));
  auto late = ctl({"show", live.string(), "--since", third_hour, "--event", "tls-reject"});
  CHECK(lines_of(late.out).size() == 4);  // records 4, 5, 7, 8

  auto bad = ctl({"show", live.string(), "--since", "yesterday"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("--since: expected a UTC time") != std::string::npos);
}

TEST_CASE_METHOD(RotatedCliLog, "O-2 audit tail prints the last records across a rotation",
                 "[nanbyoctl][audit]") {
  auto tail = ctl({"tail", live.string(), "-n", "4", "--json"});
  CHECK(tail.exit_code == 0);
  auto lines = lines_of(tail.out);
  REQUIRE(lines.size() == 4);
  CHECK(nlohmann::json::parse(lines.back())["seq"] == end.seq);
  CHECK(nlohmann::json::parse(lines.front())["seq"] == end.seq - 3);
}
