// Anchors as the journal holds them, and the queuing sink that exports them and
// keeps records through a failed write (issue 17, S-7, O-2).
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <csignal>

#include "log_files.h"
#include "pki/audit/anchor.h"
#include "pki/audit/audit_verify.h"
#include "pki/audit/queued_sink.h"

using namespace nanbyo;
using namespace nanbyo::audit;
using namespace nanbyo::audit::testing;
namespace fs = std::filesystem;

namespace {

class RecordingExporter final : public AnchorExporter {
 public:
  void export_anchor(const ChainPosition& position, std::string_view reason) override {
    std::lock_guard lock(mutex_);
    anchors_.push_back({position.seq, position.hash, position.file.string()});
    reasons_.emplace_back(reason);
  }
  std::vector<Anchor> anchors() const {
    std::lock_guard lock(mutex_);
    return anchors_;
  }
  std::vector<std::string> reasons() const {
    std::lock_guard lock(mutex_);
    return reasons_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Anchor> anchors_;
  std::vector<std::string> reasons_;
};

const std::string kHash(64, 'b');

// Runs `body` while the process may not grow files past `bytes` (a full disk).
template <typename Body>
void with_file_limit(std::uintmax_t bytes, Body body) {
  rlimit old{};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = bytes;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
  body();
  REQUIRE(setrlimit(RLIMIT_FSIZE, &old) == 0);
  std::signal(SIGXFSZ, old_handler);
}

}  // namespace

TEST_CASE("O-2 anchors are read from journalctl -o json, SEQ HASH lines and bare hashes") {
  const std::string text =
      "{\"MESSAGE\":\"started\",\"_PID\":\"1\"}\n"
      "{\"MESSAGE_ID\":\"8d1c6e0a4f7b4d2e9a35c0f1b6e27d49\",\"NANBYO_AUDIT_FILE\":"
      "\"/var/log/nanbyo/audit/"
      "gateway.jsonl\",\"NANBYO_AUDIT_SEQ\":\"42\",\"NANBYO_AUDIT_HASH\":\"" +
      kHash + "\"}\n# a comment\n\n7 " + std::string(64, 'C') + "\n" + kHash + "\n";
  auto anchors = parse_anchors(text);
  REQUIRE(anchors.ok());
  REQUIRE(anchors->size() == 3);
  CHECK((*anchors)[0].seq == 42);
  CHECK((*anchors)[0].hash == kHash);
  CHECK((*anchors)[0].file == "/var/log/nanbyo/audit/gateway.jsonl");
  CHECK((*anchors)[1].seq == 7);
  CHECK((*anchors)[1].hash == std::string(64, 'c'));
  CHECK((*anchors)[2].seq == 0);

  auto bad = parse_anchors("1 nothex\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message ==
        "anchors line 1: the audit anchor is not a SHA-256 hash (64 hex digits)");
}

TEST_CASE("O-2 the queued sink exports an anchor at start, after each rotation and at stop") {
  TempDir dir;
  FakeClock clock;
  const fs::path live = dir.path() / "gateway.jsonl";
  RecordingExporter exporter;
  {
    auto log = AuditLog::open(live, clock, {.rotate_bytes = 600});
    REQUIRE(log.ok());
    QueuedSinkOptions options;
    options.anchors = &exporter;
    options.anchor_interval = std::chrono::milliseconds(0);
    options.group_window = std::chrono::milliseconds(0);
    QueuedAuditSink sink(std::move(*log), options);
    sink.start();
    for (int i = 1; i <= 8; ++i) {
      sink.record(tls_reject(i));
      sink.flush();
    }
  }
  auto reasons = exporter.reasons();
  REQUIRE(reasons.size() >= 3);
  CHECK(reasons.front() == "start");
  CHECK(reasons.back() == "stop");
  CHECK(std::count(reasons.begin(), reasons.end(), "rotation") >= 1);
  // Every anchor verifies against the set; the last one is its end.
  auto summary = verify_audit_set(live, exporter.anchors());
  REQUIRE(summary.ok());
  CHECK(summary->last_hash == exporter.anchors().back().hash);
  CHECK(summary->anchors_matched >= 2);
}

TEST_CASE("O-2 the queued sink exports at its interval while records are written") {
  TempDir dir;
  FakeClock clock;
  RecordingExporter exporter;
  {
    auto log = AuditLog::open(dir.path() / "gateway.jsonl", clock);
    REQUIRE(log.ok());
    QueuedSinkOptions options;
    options.anchors = &exporter;
    options.anchor_interval = std::chrono::milliseconds(20);
    QueuedAuditSink sink(std::move(*log), options);
    sink.start();
    sink.record(tls_reject(1));
    sink.flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  auto reasons = exporter.reasons();
  CHECK(std::count(reasons.begin(), reasons.end(), "interval") == 1);  // only when changed
}

TEST_CASE("S-7 a failed write: not writable, the records are kept and written once it works") {
  TempDir dir;
  FakeClock clock;
  const fs::path live = dir.path() / "gateway.jsonl";
  std::vector<std::string> reports;
  std::mutex reports_mutex;
  auto log = AuditLog::open(live, clock);
  REQUIRE(log.ok());
  QueuedAuditSink sink(std::move(*log), {.group_window = std::chrono::milliseconds(0),
                                         .retry_interval = std::chrono::milliseconds(20),
                                         .report = [&](std::string_view m) {
                                           std::lock_guard lock(reports_mutex);
                                           reports.emplace_back(m);
                                         }});
  sink.start();
  sink.record(tls_reject(1));
  sink.flush();
  REQUIRE(sink.writable());

  // A file size limit stands in for a full disk: writes fail with EFBIG.
  bool writable_while_full = true;
  Result<void> refused;
  with_file_limit(fs::file_size(live) + 10, [&] {
    sink.record(tls_reject(2));
    sink.flush();
    writable_while_full = sink.writable();
    refused = sink.append(tls_reject(3));
  });

  CHECK_FALSE(writable_while_full);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("cannot be written") != std::string::npos);
  // The retry writes record 2: nothing is lost.
  for (int i = 0; i < 200 && !sink.writable(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(sink.writable());
  sink.flush();
  auto summary = verify_audit_set(live);
  REQUIRE(summary.ok());
  CHECK(summary->records == 2);
  std::lock_guard lock(reports_mutex);
  REQUIRE(reports.size() == 2);
  CHECK(reports[0].starts_with("audit log write failed: cannot append to audit log "));
  CHECK(reports[1] == "audit log writable again");
}

TEST_CASE("S-7 the memory sink can refuse writes as a full disk would") {
  MemoryAuditSink sink;
  REQUIRE(sink.append(tls_reject(1)).ok());
  sink.fail_writes(true);
  CHECK_FALSE(sink.writable());
  CHECK_FALSE(sink.append(tls_reject(2)).ok());
  CHECK(sink.events().size() == 1);
}

TEST_CASE("S-7 the log sink fails an append it cannot write (refuse), or reports it (continue)") {
  TempDir dir;
  FakeClock clock;
  const fs::path live = dir.path() / "appcore.jsonl";
  auto log = AuditLog::open(live, clock);
  REQUIRE(log.ok());
  std::vector<std::string> reports;
  LogSinkOptions refuse;
  refuse.report = [&](std::string_view m) { reports.emplace_back(m); };
  LogSinkOptions go_on = refuse;
  go_on.refuse_on_failure = false;
  auto refusing = make_log_sink(**log, refuse);
  auto continuing = make_log_sink(**log, go_on);
  REQUIRE(refusing->append(tls_reject(1)).ok());

  Result<void> refused, continued;
  with_file_limit(fs::file_size(live) + 10, [&] {
    refused = refusing->append(tls_reject(2));
    continued = continuing->append(tls_reject(3));
  });
  CHECK_FALSE(refused.ok());
  CHECK_FALSE(refusing->writable());
  CHECK(continued.ok());
  CHECK_FALSE(continuing->writable());
  CHECK(reports.size() == 2);
  REQUIRE(refusing->append(tls_reject(4)).ok());
  CHECK(refusing->writable());
}

TEST_CASE("O-2 the log sink anchors after a rotation and once its interval has passed") {
  TempDir dir;
  FakeClock clock;
  const fs::path live = dir.path() / "appcore.jsonl";
  auto log = AuditLog::open(live, clock);
  REQUIRE(log.ok());
  RecordingExporter exporter;
  LogSinkOptions options;
  options.anchors = &exporter;
  options.clock = &clock;
  options.anchor_interval = std::chrono::seconds(60);
  auto sink = make_log_sink(**log, options);
  REQUIRE(sink->append(tls_reject(1)).ok());  // the first append anchors
  clock.advance(std::chrono::seconds(30));
  REQUIRE(sink->append(tls_reject(2)).ok());
  clock.advance(std::chrono::seconds(31));
  REQUIRE(sink->append(tls_reject(3)).ok());
  REQUIRE((*log)->rotate().ok());
  REQUIRE(sink->append(tls_reject(4)).ok());
  CHECK(exporter.reasons() == std::vector<std::string>{"interval", "interval", "rotation"});
  CHECK(verify_audit_set(live, exporter.anchors()).ok());
  CHECK(exporter.anchors().back().seq == 5);  // 4 records and the audit-rotate one
}
