// The log continues its chain across restarts, serialises concurrent writers,
// never leaves half a line behind, and refuses to chain after a damaged tail.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>

#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

#include "log_files.h"
#include "pki/audit/audit_verify.h"

using namespace nanbyo;
using namespace nanbyo::audit;
using namespace nanbyo::audit::testing;
namespace fs = std::filesystem;

TEST_CASE("a new log is created 0640 in new directories and starts from the genesis hash") {
  TempDir dir;
  FakeClock clock;
  fs::path path = dir.path() / "var" / "audit" / "gateway.jsonl";
  auto log = AuditLog::open(path, clock);
  REQUIRE(log.ok());
  CHECK(fs::status(path).permissions() == fs::perms(0640));
  CHECK((fs::status(path.parent_path()).permissions() & fs::perms(0027)) == fs::perms::none);
  CHECK((*log)->last_seq() == 0);
  CHECK((*log)->last_hash() == kGenesisHash);

  auto first = (*log)->append(tls_reject(1));
  REQUIRE(first.ok());
  CHECK(first->seq == 1);
  CHECK(first->prev == kGenesisHash);
  CHECK(first->time == clock.now());
  CHECK(first->actor == "serial-1");
  CHECK((*log)->last_hash() == first->hash);
}

TEST_CASE("reopening continues the chain and the whole file verifies") {
  TempDir dir;
  FakeClock clock;
  fs::path path = dir.path() / "audit.jsonl";
  std::string after_three = fill(path, clock, 3);

  auto log = AuditLog::open(path, clock);
  REQUIRE(log.ok());
  CHECK((*log)->last_seq() == 3);
  CHECK((*log)->last_hash() == after_three);
  clock.advance(std::chrono::seconds(60));
  auto fourth = (*log)->append(tls_reject(4));
  REQUIRE(fourth.ok());
  CHECK(fourth->seq == 4);
  CHECK(fourth->prev == after_three);
  log->reset();

  auto summary = verify_audit_file(path);
  REQUIRE(summary.ok());
  CHECK(summary->records == 4);
  CHECK(summary->first_time == FakeClock().now() + std::chrono::seconds(1));
  CHECK(summary->last_time == clock.now());
  CHECK(summary->last_hash == fourth->hash);
  CHECK(read_lines(path).size() == 4);
}

TEST_CASE("an empty log verifies with no records") {
  TempDir dir;
  FakeClock clock;
  fs::path path = dir.path() / "audit.jsonl";
  REQUIRE(AuditLog::open(path, clock).ok());
  auto summary = verify_audit_file(path);
  REQUIRE(summary.ok());
  CHECK(summary->records == 0);
  CHECK_FALSE(summary->first_time);
  CHECK(summary->last_hash == kGenesisHash);
}

TEST_CASE("4 threads appending 200 records each produce one valid chain of 800") {
  TempDir dir;
  FakeClock clock;
  fs::path path = dir.path() / "audit.jsonl";
  auto log = AuditLog::open(path, clock);
  REQUIRE(log.ok());
  AuditLog& shared = **log;

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&shared, &failures, t] {
      for (int i = 0; i < 200; ++i) {
        if (!shared.append(tls_reject(t * 1000 + i)).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();

  CHECK(failures == 0);
  CHECK(shared.last_seq() == 800);
  auto summary = verify_audit_file(path);
  REQUIRE(summary.ok());
  CHECK(summary->records == 800);
  CHECK(summary->last_hash == shared.last_hash());
}

TEST_CASE("a second writer on the same file is refused until the first closes it") {
  TempDir dir;
  FakeClock clock;
  fs::path path = dir.path() / "audit.jsonl";
  auto first = AuditLog::open(path, clock);
  REQUIRE(first.ok());
  auto second = AuditLog::open(path, clock);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().message == "audit log " + path.string() +
                                      " is already open for writing elsewhere; each process "
                                      "writes its own file");
  first->reset();
  CHECK(AuditLog::open(path, clock).ok());
}

TEST_CASE("a damaged last line is refused, never chained after") {
  TempDir dir;
  FakeClock clock;
  fs::path path = dir.path() / "audit.jsonl";
  fill(path, clock, 3);
  auto lines = read_lines(path);
  const std::string refusing =
      "; refusing to continue its chain. Verify the file (nanbyoctl audit verify), then move it "
      "aside to start a new log";
  auto open_error = [&] {
    auto log = AuditLog::open(path, clock);
    REQUIRE_FALSE(log.ok());
    CHECK(read_lines(path) == lines);  // the file is left as it was found
    return log.error().message;
  };

  SECTION("cut short") {
    lines.back().resize(lines.back().size() - 20);
    write_lines(path, lines);
    CHECK(open_error() == "audit log " + path.string() +
                              ": the last line is truncated (no trailing newline)" + refusing);
  }
  SECTION("edited") {
    auto& last = lines.back();
    last.replace(last.find("revoked"), 7, "expired");
    write_lines(path, lines);
    CHECK(open_error() ==
          "audit log " + path.string() + ": the last record was edited (hash mismatch)" + refusing);
  }
  SECTION("followed by an empty line") {
    lines.push_back("\n");
    write_lines(path, lines);
    CHECK(open_error() == "audit log " + path.string() +
                              ": the last line is not a valid record (empty line)" + refusing);
  }
}

TEST_CASE("a failed write leaves no partial line and the log stays usable") {
  TempDir dir;
  FakeClock clock;
  fs::path path = dir.path() / "audit.jsonl";
  auto log = AuditLog::open(path, clock);
  REQUIRE(log.ok());
  REQUIRE((*log)->append(tls_reject(1)).ok());
  const auto size = fs::file_size(path);

  // A file size limit makes write() stop 10 bytes into the next line (EFBIG).
  rlimit old{};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = size + 10;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
  auto failed = (*log)->append(tls_reject(2));
  REQUIRE(setrlimit(RLIMIT_FSIZE, &old) == 0);
  std::signal(SIGXFSZ, old_handler);

  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message.starts_with("cannot append to audit log " + path.string() + ": "));
  CHECK(fs::file_size(path) == size);
  auto second = (*log)->append(tls_reject(2));
  REQUIRE(second.ok());
  CHECK(second->seq == 2);
  auto summary = verify_audit_file(path);
  REQUIRE(summary.ok());
  CHECK(summary->records == 2);
}

TEST_CASE("a batch is appended as consecutive chained records", "[audit][batch]") {
  nanbyo::testing::TempDir dir;
  nanbyo::testing::FakeClock clock;
  auto path = dir.path() / "batch.jsonl";
  auto log = nanbyo::audit::AuditLog::open(path, clock);
  REQUIRE(log.ok());
  REQUIRE((*log)->append({"first", nanbyo::audit::Outcome::Info, "a", "", "", {}}).ok());
  std::vector<nanbyo::audit::AuditEvent> events{
      {"second", nanbyo::audit::Outcome::Allow, "b", "", "", {}},
      {"third", nanbyo::audit::Outcome::Deny, "c", "", "", {{"check", "revoked"}}}};
  auto written = (*log)->append_batch(events);
  REQUIRE(written.ok());
  REQUIRE(written->size() == 2);
  CHECK((*written)[0].seq == 2);
  CHECK((*written)[1].seq == 3);
  CHECK((*written)[1].prev == (*written)[0].hash);
  CHECK((*log)->last_hash() == (*written)[1].hash);
  auto verified = nanbyo::audit::verify_audit_file(path);
  REQUIRE(verified.ok());
  CHECK(verified->records == 3);
}
