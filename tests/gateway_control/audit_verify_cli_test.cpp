// `nanbyoctl audit verify` on a log written by AuditLog: an untouched log
// passes, one edited byte fails naming the line, a cut-off end fails against
// the anchor (O-2: the audit log is tamper-evident).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "pki/audit/audit_log.h"
#include "service_fixture.h"

using namespace nanbyo;
using namespace nanbyo::testing;
namespace fs = std::filesystem;

namespace {

struct ThreeRecordLog {
  TempDir dir;
  FakeClock clock;
  fs::path path = dir.path() / "gateway.jsonl";
  std::string last_hash;

  ThreeRecordLog() {
    auto log = audit::AuditLog::open(path, clock);
    REQUIRE(log.ok());
    for (const char* serial : {"0A1B2C3D", "FFEE01", "0A1B2C3D"}) {
      clock.advance(std::chrono::seconds(1));
      audit::AuditEvent event;
      event.event = "revoke";
      event.outcome = audit::Outcome::Info;
      event.actor = "operator";
      event.subject = serial;
      event.detail = {{"via", "nanbyoctl"}};
      REQUIRE((*log)->append(event).ok());
    }
    last_hash = (*log)->last_hash();
  }

  std::string text() const {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }
  void rewrite(const std::string& text) const { std::ofstream(path, std::ios::binary) << text; }
  ProcessResult verify(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"audit", "verify", path.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_nanbyoctl(args, dir.path());
  }
};

}  // namespace

TEST_CASE_METHOD(ThreeRecordLog, "audit verify passes an untouched log and names its last hash",
                 "[nanbyoctl][audit]") {
  auto result = verify();
  CHECK(result.exit_code == 0);
  CHECK(result.out == "OK: 3 records, last hash " + last_hash + "\n");
  CHECK(result.err.empty());
  CHECK(verify({"--anchor", last_hash}).exit_code == 0);
}

TEST_CASE_METHOD(ThreeRecordLog, "audit verify fails on one edited byte and names the line",
                 "[nanbyoctl][audit]") {
  std::string content = text();
  const auto second_line = content.find('\n') + 1;
  const auto at = content.find("FFEE01", second_line);
  REQUIRE(at != std::string::npos);
  content[at + 5] = '2';  // FFEE01 -> FFEE02
  rewrite(content);
  auto result = verify();
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err == "nanbyoctl: error: audit log " + path.string() +
                          " line 2: record edited (hash mismatch)\n");
}

TEST_CASE_METHOD(ThreeRecordLog, "audit verify with the anchor catches a record cut off the end",
                 "[nanbyoctl][audit]") {
  std::string content = text();
  content.erase(content.rfind('\n', content.size() - 2) + 1);  // drop the last line
  rewrite(content);
  CHECK(verify().exit_code == 0);  // still a valid chain: only the anchor can tell
  auto result = verify({"--anchor", last_hash});
  CHECK(result.exit_code == 1);
  CHECK(result.err.rfind(
            "nanbyoctl: error: audit log " + path.string() + ": records removed from the end", 0) ==
        0);
}
