// Where a process hands its audit records (S-7): the one sink interface of the
// gateway and the application core (issue 17). Implementations:
//   - make_log_sink(): appends to an AuditLog and returns once on disk (appcore);
//   - QueuedAuditSink (queued_sink.h): queues, a writer thread appends in
//     batches (the gateway, whose connections must not wait for the disk);
//   - MemoryAuditSink: keeps the events (tests).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "pki/audit/anchor.h"
#include "pki/audit/audit_log.h"
#include "pki/audit/audit_record.h"
#include "pki/result.h"

namespace nanbyo::audit {

class AuditSink {
 public:
  virtual ~AuditSink() = default;

  // Records the events, all or none. A synchronous sink fails when they could
  // not be written; a queuing one when it is not writable() (they are dropped).
  virtual Result<void> append(std::span<const AuditEvent> events) = 0;
  Result<void> append(const AuditEvent& event) { return append(std::span(&event, 1)); }

  // For callers that can do nothing about a failure (a connection already
  // closing): the sink itself reports write failures, and writable() shows them.
  virtual void record(AuditEvent event) { static_cast<void>(append(event)); }

  // False while records cannot be written (the last write failed). A service
  // whose policy says audit.on_failure: refuse turns new work away then.
  virtual bool writable() const = 0;

  // Blocks until everything appended so far is written or has failed.
  virtual void flush() {}
};

struct LogSinkOptions {
  // true: a record that cannot be written fails the append, so the operation it
  // records fails too (fail closed, the application core's default). false: the
  // failure is reported and the append succeeds (the service goes on unaudited).
  bool refuse_on_failure = true;
  // Anchors after each rotation, and at the first append once `anchor_interval`
  // has passed since the last (no timer: an idle log has nothing new to anchor).
  AnchorExporter* anchors = nullptr;  // must outlive the sink
  const Clock* clock = nullptr;       // required with anchors
  std::chrono::seconds anchor_interval{60};
  std::function<void(std::string_view)> report;  // write failures, for the journal
};

// Appends to `log` (one write + fdatasync per call); `log` must outlive the sink.
std::unique_ptr<AuditSink> make_log_sink(AuditLog& log, LogSinkOptions options = {});

// Keeps the events in memory (tests, benchmarks). fail_writes() makes it
// refuse appends as a full disk would.
class MemoryAuditSink final : public AuditSink {
 public:
  using AuditSink::append;
  Result<void> append(std::span<const AuditEvent> events) override;
  bool writable() const override;
  std::vector<AuditEvent> events() const;
  void fail_writes(bool failing);

 private:
  mutable std::mutex mutex_;
  std::vector<AuditEvent> events_;
  bool failing_ = false;
};

}  // namespace nanbyo::audit
