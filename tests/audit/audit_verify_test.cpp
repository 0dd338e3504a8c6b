// Every kind of tampering with a log file is caught, and the first problem is
// named in one line with its line number (O-2: the log is tamper-evident).
#include <catch2/catch.hpp>

#include "log_files.h"
#include "pki/audit/audit_verify.h"

using namespace nanbyo;
using namespace nanbyo::audit;
using namespace nanbyo::audit::testing;
namespace fs = std::filesystem;

namespace {

struct FiveRecordLog {
  TempDir dir;
  FakeClock clock;
  fs::path path = dir.path() / "gateway.jsonl";
  std::string last_hash = fill(path, clock, 5);
  std::vector<std::string> lines = read_lines(path);

  std::string at(int line) const {
    return "audit log " + path.string() + " line " + std::to_string(line) + ": ";
  }
  std::string verify_error() const {
    auto summary = verify_audit_file(path);
    REQUIRE_FALSE(summary.ok());
    return summary.error().message;
  }
};

}  // namespace

TEST_CASE_METHOD(FiveRecordLog, "an untouched log verifies") {
  auto summary = verify_audit_file(path);
  REQUIRE(summary.ok());
  CHECK(summary->records == 5);
  CHECK(summary->last_hash == last_hash);
  CHECK(verify_audit_file(path, last_hash).ok());
}

TEST_CASE_METHOD(FiveRecordLog, "one byte edited in a record's detail: record edited") {
  auto& third = lines[2];
  third[third.find("\"crl\"") + 3] = 'm';  // "crl" -> "crm"
  write_lines(path, lines);
  CHECK(verify_error() == at(3) + "record edited (hash mismatch)");
}

TEST_CASE_METHOD(FiveRecordLog, "a record removed from the middle: chain broken") {
  lines.erase(lines.begin() + 2);
  write_lines(path, lines);
  CHECK(
      verify_error() ==
      at(3) +
          "chain broken (prev does not match line 2; a record was removed, inserted or reordered)");
}

TEST_CASE_METHOD(FiveRecordLog, "two records swapped: chain broken at the first of them") {
  std::swap(lines[1], lines[2]);
  write_lines(path, lines);
  CHECK(
      verify_error() ==
      at(2) +
          "chain broken (prev does not match line 1; a record was removed, inserted or reordered)");
}

TEST_CASE_METHOD(FiveRecordLog, "a record duplicated: chain broken at the copy") {
  lines.insert(lines.begin() + 3, lines[2]);
  write_lines(path, lines);
  CHECK(
      verify_error() ==
      at(4) +
          "chain broken (prev does not match line 3; a record was removed, inserted or reordered)");
}

TEST_CASE_METHOD(FiveRecordLog, "the first record removed: chain broken at line 1") {
  lines.erase(lines.begin());
  write_lines(path, lines);
  CHECK(verify_error() ==
        at(1) +
            "chain broken (prev is not the genesis value; records were removed from the start)");
}

TEST_CASE_METHOD(FiveRecordLog, "a forged record with a recomputed hash but a wrong number") {
  auto second = parse_record_line(lines[1].substr(0, lines[1].size() - 1));
  REQUIRE(second.ok());
  auto forged = seal_record(7, clock.now(), tls_reject(9), second->hash);
  REQUIRE(forged.ok());
  lines[2] = forged->line + "\n";
  write_lines(path, lines);
  CHECK(verify_error() == at(3) + "sequence number 7, expected 3");
}

TEST_CASE_METHOD(FiveRecordLog, "the last line cut short: truncated") {
  SECTION("mid-record") {
    lines.back().resize(lines.back().size() / 2);
  }
  SECTION("only its newline") {
    lines.back().pop_back();
  }
  write_lines(path, lines);
  CHECK(verify_error() == at(5) + "last line truncated (no trailing newline)");
}

TEST_CASE_METHOD(FiveRecordLog, "the last record removed: only the anchor notices") {
  lines.pop_back();
  write_lines(path, lines);
  auto without_anchor = verify_audit_file(path);
  REQUIRE(without_anchor.ok());  // a shorter chain is still a valid chain
  CHECK(without_anchor->records == 4);

  auto anchored = verify_audit_file(path, last_hash);
  REQUIRE_FALSE(anchored.ok());
  CHECK(anchored.error().message ==
        "audit log " + path.string() + ": records removed from the end (the anchored record " +
            last_hash +
            " is not in the file, which ends at line 4; or the anchor belongs to another file)");
}

TEST_CASE_METHOD(FiveRecordLog, "an anchor stays valid while the log grows") {
  auto log = AuditLog::open(path, clock);
  REQUIRE(log.ok());
  REQUIRE((*log)->append(tls_reject(6)).ok());
  CHECK(verify_audit_file(path, last_hash).ok());
  CHECK(verify_audit_file(path, (*log)->last_hash()).ok());
  CHECK_FALSE(verify_audit_file(path, "not-a-hash").ok());
}

TEST_CASE_METHOD(FiveRecordLog, "a malformed line: not a valid record") {
  lines[1] = "{\"seq\":2,\"time\":\n";
  write_lines(path, lines);
  CHECK(verify_error() == at(2) + "not a valid record (malformed JSON)");
}

TEST_CASE_METHOD(FiveRecordLog, "an empty line: not a valid record") {
  lines.insert(lines.begin() + 4, "\n");
  write_lines(path, lines);
  CHECK(verify_error() == at(5) + "not a valid record (empty line)");
}

TEST_CASE("a missing file is an error that names it") {
  TempDir dir;
  auto summary = verify_audit_file(dir.path() / "absent.jsonl");
  REQUIRE_FALSE(summary.ok());
  CHECK(summary.error().message == "cannot read audit log " +
                                       (dir.path() / "absent.jsonl").string() +
                                       ": No such file or directory");
}
