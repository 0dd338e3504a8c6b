// The queuing audit sink (the gateway's writer, issue 15 and 17): connection
// handlers hand records over without waiting for the disk; one thread appends
// them, in order, in batches (one write and one fdatasync per batch, records
// of the next 20 ms joining a batch).
//
// A failed write keeps the batch and tries it again every second; meanwhile
// writable() is false (a fail-closed gateway refuses new work) and the queue
// holds at most kMaxQueued records. Records beyond that are counted, and an
// "audit-records-lost" record with the count is written once writing works
// again: a gap is never silent.
//
// With an AnchorExporter the writer exports the chain's end at start, at a
// fixed interval when records were written, after each rotation and at stop.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

#include "pki/audit/anchor.h"
#include "pki/audit/audit_log.h"
#include "pki/audit/audit_sink.h"

namespace nanbyo::audit {

struct QueuedSinkOptions {
  AnchorExporter* anchors = nullptr;  // none: no anchors; must outlive the sink
  std::chrono::milliseconds anchor_interval{std::chrono::seconds(60)};
  std::chrono::milliseconds group_window{20};
  std::chrono::milliseconds retry_interval{std::chrono::seconds(1)};
  // Write failures and their recovery, for the journal (the gateway's stderr).
  std::function<void(std::string_view)> report;
};

class QueuedAuditSink final : public AuditSink {
 public:
  static constexpr std::size_t kMaxQueued = 100000;

  // Records queue up until start() launches the writer thread: the gateway
  // starts no thread before it has given its privileges up (they are per
  // thread). flush() and the destructor start it if nobody did.
  QueuedAuditSink(std::unique_ptr<AuditLog> log, QueuedSinkOptions options);
  ~QueuedAuditSink() override;  // drains what is queued (unless writes fail), then stops

  void start();

  using AuditSink::append;
  Result<void> append(std::span<const AuditEvent> events) override;
  void record(AuditEvent event) override;
  bool writable() const override;
  // Blocks until everything queued so far is on disk or the writer has given
  // up on it for now (a failed write).
  void flush() override;

  std::string last_hash() const { return log_->last_hash(); }
  const AuditLog& log() const { return *log_; }

 private:
  void run();
  bool enqueue(AuditEvent event);  // under mutex_; false when the queue is full
  void write_batch(std::unique_lock<std::mutex>& lock);
  void export_anchor(std::string_view reason);

  const std::unique_ptr<AuditLog> log_;
  const QueuedSinkOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, drained_;
  std::deque<AuditEvent> queue_;
  std::uint64_t lost_ = 0;  // records dropped on a full queue, not yet reported
  bool writing_ = false;
  std::atomic<bool> failing_ = false;  // the last write failed (set under mutex_)
  bool stopping_ = false;
  std::uint64_t anchored_seq_ = 0;    // writer thread only
  std::uint64_t seen_rotations_ = 0;  // writer thread only
  std::once_flag started_;
  std::thread thread_;
};

}  // namespace nanbyo::audit
