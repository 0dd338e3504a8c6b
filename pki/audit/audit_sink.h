// Where a process hands its audit records (S-7): the one sink interface of the
// gateway and the application core (issue 17). Implementations:
//   - make_log_sink(): appends to an AuditLog and returns once on disk (appcore);
//   - QueuedAuditSink (queued_sink.h): queues, a writer thread appends in
//     batches (the gateway, whose connections must not wait for the disk);
//   - MemoryAuditSink: keeps the events (tests).
#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <vector>

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

// Appends to `log` (one write + fdatasync per call); `log` must outlive the sink.
std::unique_ptr<AuditSink> make_log_sink(AuditLog& log);

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
