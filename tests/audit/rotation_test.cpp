// Rotation keeps one chain across files, and verify checks the set as one
// chain: a file removed from the middle, an edited record in an old file and
// a crash in the middle of a rotation are each named (issue 17, S-7, O-2).
#include <catch2/catch.hpp>

#include "log_files.h"
#include "pki/audit/audit_reader.h"
#include "pki/audit/audit_verify.h"
#include "pki/audit/rotation.h"

using namespace nanbyo;
using namespace nanbyo::audit;
using namespace nanbyo::audit::testing;
namespace fs = std::filesystem;

namespace {

// A log rotated at about three records a file, 10 records written.
struct RotatedLog {
  TempDir dir;
  FakeClock clock;
  fs::path live = dir.path() / "gateway.jsonl";
  std::uint64_t rotations = 0;
  ChainPosition end;

  RotatedLog() {
    auto log = AuditLog::open(live, clock, {.rotate_bytes = 3 * line_size()});
    REQUIRE(log.ok());
    for (int i = 1; i <= 10; ++i) {
      clock.advance(std::chrono::seconds(1));
      REQUIRE((*log)->append(tls_reject(i)).ok());
    }
    rotations = (*log)->rotations();
    end = (*log)->position();
  }

  static std::uint64_t line_size() {
    auto sealed = seal_record(1, FakeClock().now(), tls_reject(1), kGenesisHash);
    REQUIRE(sealed.ok());
    return sealed->line.size() + 1;
  }
  fs::path rotated(std::uint64_t n) const { return rotated_path(live, n); }
  std::string verify_error(const std::vector<Anchor>& anchors = {}) const {
    auto summary = verify_audit_set(live, anchors);
    REQUIRE_FALSE(summary.ok());
    return summary.error().message;
  }
};

}  // namespace

TEST_CASE_METHOD(RotatedLog, "O-2 rotation: numbered files, each new file chains from the last") {
  REQUIRE(rotations >= 3);
  auto files = list_set(live);
  REQUIRE(files.ok());
  REQUIRE(files->size() == rotations + 1);
  CHECK(files->front() == rotated(1));
  CHECK(files->back() == live);
  CHECK(rotated(1).filename() == "gateway.jsonl.000001");

  // The second file starts with audit-rotate: prev is the first file's last hash.
  auto first = read_lines(rotated(1));
  auto second = read_lines(rotated(2));
  auto last_of_first = parse_record_line(first.back().substr(0, first.back().size() - 1));
  auto head_of_second = parse_record_line(second.front().substr(0, second.front().size() - 1));
  REQUIRE(last_of_first.ok());
  REQUIRE(head_of_second.ok());
  CHECK(head_of_second->event == "audit-rotate");
  CHECK(head_of_second->prev == last_of_first->hash);
  CHECK(head_of_second->seq == last_of_first->seq + 1);
  CHECK(head_of_second->detail.at("previous-file") == "gateway.jsonl.000001");
  CHECK(head_of_second->detail.at("previous-last-hash") == last_of_first->hash);

  auto summary = verify_audit_set(live);
  REQUIRE(summary.ok());
  CHECK(summary->files.size() == rotations + 1);
  CHECK(summary->records == 10 + rotations);  // no record lost, one audit-rotate per file
  CHECK(summary->first_seq == 1);
  CHECK(summary->last_seq == end.seq);
  CHECK(summary->last_hash == end.hash);
}

TEST_CASE_METHOD(RotatedLog, "O-2 reopening a rotated log continues the live file's chain") {
  auto log = AuditLog::open(live, clock, {.rotate_bytes = 3 * line_size()});
  REQUIRE(log.ok());
  CHECK((*log)->last_hash() == end.hash);
  REQUIRE((*log)->append(tls_reject(11)).ok());
  CHECK(verify_audit_set(live).ok());
}

TEST_CASE_METHOD(RotatedLog, "O-2 a rotation cut short by a crash: the next start chains on") {
  // The crash came after the rename and before the new live file existed.
  const fs::path next = rotated(rotations + 1);
  fs::rename(live, next);
  auto log = AuditLog::open(live, clock);
  REQUIRE(log.ok());
  REQUIRE((*log)->append(tls_reject(11)).ok());
  auto summary = verify_audit_set(live);
  REQUIRE(summary.ok());
  CHECK(summary->files.size() == rotations + 2);
}

TEST_CASE_METHOD(RotatedLog, "O-2 rotate() on demand, and verify given one rotated file alone") {
  auto log = AuditLog::open(live, clock);
  REQUIRE(log.ok());
  auto position = (*log)->rotate();
  REQUIRE(position.ok());
  CHECK(position->seq == end.seq + 1);
  CHECK(fs::exists(rotated(rotations + 1)));
  CHECK(verify_audit_set(live).ok());
  // A file from the middle verifies on its own: its first record says where it continues.
  auto alone = verify_audit_file(rotated(2));
  REQUIRE(alone.ok());
  CHECK(alone->continues_from == "gateway.jsonl.000001");
}

TEST_CASE_METHOD(RotatedLog, "O-2 verify over a rotated set: a file removed from the middle") {
  fs::remove(rotated(2));
  CHECK(verify_error() == "audit log " + rotated(3).string() +
                              " line 1: chain broken between gateway.jsonl.000001 and "
                              "gateway.jsonl.000003: gateway.jsonl.000003 continues from "
                              "gateway.jsonl.000002 at seq " +
                              std::to_string(read_lines(rotated(1)).size() + 3) +
                              ", but gateway.jsonl.000001 ends at seq " +
                              std::to_string(read_lines(rotated(1)).size()) +
                              " (a file was removed or replaced)");
}

TEST_CASE_METHOD(RotatedLog,
                 "O-2 verify over a rotated set: an edited record names its file and line") {
  auto lines = read_lines(rotated(2));
  auto at = lines[1].find("serial-");
  REQUIRE(at != std::string::npos);
  lines[1][at] = 'S';
  write_lines(rotated(2), lines);
  CHECK(verify_error() ==
        "audit log " + rotated(2).string() + " line 2: record edited (hash mismatch)");
}

TEST_CASE_METHOD(RotatedLog, "O-2 the oldest files removed by retention: the rest still verifies") {
  fs::remove(rotated(1));
  auto summary = verify_audit_set(live);
  REQUIRE(summary.ok());
  CHECK(summary->first_seq > 1);
  CHECK(summary->continues_from == "gateway.jsonl.000001");
  // An anchor older than what is left is counted, not failed.
  auto checked = verify_audit_set(live, {Anchor{1, std::string(64, 'a'), ""}});
  REQUIRE(checked.ok());
  CHECK(checked->anchors_older == 1);
}

TEST_CASE_METHOD(RotatedLog, "O-2 a tail truncated after the last anchor: the anchor notices") {
  const Anchor anchor{end.seq, end.hash, live.string()};
  REQUIRE(verify_audit_set(live, {anchor}).ok());

  // The last record cut off: still a valid chain, but shorter than the anchor.
  auto lines = read_lines(live);
  REQUIRE(lines.size() >= 2);
  lines.pop_back();
  write_lines(live, lines);
  REQUIRE(verify_audit_set(live).ok());
  CHECK(verify_error({anchor}) == "audit log " + live.string() +
                                      ": records removed from the end: the log ends at seq " +
                                      std::to_string(end.seq - 1) + ", but an anchor names seq " +
                                      std::to_string(end.seq) + " (" + end.hash + ")");
}

TEST_CASE_METHOD(RotatedLog,
                 "O-2 the live file removed after the last anchor: the anchor notices") {
  const Anchor anchor{end.seq, end.hash, ""};
  fs::remove(live);
  auto message = verify_error({anchor});
  CHECK(message.find(": records removed from the end: the log ends at seq ") != std::string::npos);
}

TEST_CASE_METHOD(RotatedLog, "O-2 a set rewritten with fresh hashes contradicts its anchor") {
  // An intruder rewrites the whole set as one new chain (one file, more records than before).
  auto summary = verify_audit_set(live);
  REQUIRE(summary.ok());
  TempDir other;
  const std::string forged_end = fill(other.path() / "gateway.jsonl", clock, 20);
  for (const auto& file : summary->files) fs::remove(file.path);
  fs::copy_file(other.path() / "gateway.jsonl", live);
  REQUIRE(verify_audit_set(live).ok());
  CHECK(verify_error({Anchor{end.seq, end.hash, ""}}) ==
        "audit log " + live.string() + " line " + std::to_string(end.seq) + ": record seq " +
            std::to_string(end.seq) + " does not match its anchor (" + end.hash +
            "): the log was rewritten after the anchor was exported");
}

TEST_CASE_METHOD(RotatedLog, "O-2 anchors of another process's log are not applied") {
  CHECK(
      verify_audit_set(live, {Anchor{end.seq + 5, end.hash, "/var/log/nanbyo/audit/appcore.jsonl"}})
          .ok());
}

TEST_CASE_METHOD(RotatedLog, "O-2 show reads the set in order with a filter") {
  std::vector<std::uint64_t> seqs;
  RecordFilter filter;
  filter.event = "tls-reject";
  REQUIRE(read_set(live, filter, [&](const std::string&, const AuditRecord& r) {
            seqs.push_back(r.seq);
          }).ok());
  REQUIRE(seqs.size() == 10);
  CHECK(std::is_sorted(seqs.begin(), seqs.end()));

  filter = {};
  filter.outcome = Outcome::Info;  // the audit-rotate records
  std::size_t info = 0;
  REQUIRE(read_set(live, filter, [&](const std::string&, const AuditRecord&) { ++info; }).ok());
  CHECK(info == rotations);

  auto last = last_lines(live, 4);
  REQUIRE(last.ok());
  REQUIRE(last->size() == 4);
  CHECK(parse_record_line(last->back())->seq == end.seq);
}

TEST_CASE("O-2 tail follows the live file across a rotation without skipping a record") {
  TempDir dir;
  FakeClock clock;
  const fs::path live = dir.path() / "appcore.jsonl";
  auto log = AuditLog::open(live, clock);
  REQUIRE(log.ok());
  REQUIRE((*log)->append(tls_reject(1)).ok());
  auto follower = LogFollower::open_at_end(live);
  REQUIRE(follower.ok());
  REQUIRE((*log)->append(tls_reject(2)).ok());
  REQUIRE((*log)->rotate().ok());
  REQUIRE((*log)->append(tls_reject(3)).ok());

  auto lines = follower->poll();
  REQUIRE(lines.ok());
  std::vector<std::uint64_t> seqs;
  for (const auto& line : *lines) seqs.push_back(parse_record_line(line)->seq);
  CHECK(seqs == std::vector<std::uint64_t>{2, 3, 4});  // 3 is the audit-rotate record
  REQUIRE((*log)->append(tls_reject(4)).ok());
  auto more = follower->poll();
  REQUIRE(more.ok());
  CHECK(more->size() == 1);
}

TEST_CASE_METHOD(RotatedLog, "O-2 anchors of two logs with the same file name must be told apart") {
  const Anchor other{end.seq + 5, end.hash, "/var/log/nanbyo/appcore/gateway.jsonl"};
  const Anchor mine{end.seq, end.hash, live.string()};
  CHECK(verify_audit_set(live, {other, mine}).ok());  // this log's own path wins
  auto copy =
      verify_audit_set(live, {other, Anchor{end.seq, end.hash, "/elsewhere/gateway.jsonl"}});
  REQUIRE_FALSE(copy.ok());
  CHECK(copy.error().message.starts_with("the anchors name several logs called gateway.jsonl"));
}
