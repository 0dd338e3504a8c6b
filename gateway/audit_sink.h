// The gateway's audit writer: connection handlers hand records over without
// waiting for the disk; a background thread appends them, in order, to the
// hash-chained log in batches (one fdatasync per batch). A failed write is
// reported on stderr; the log then refuses appends until restarted.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "pki/audit/audit_log.h"

namespace nanbyo::gw {

class AuditSink {
 public:
  // Records queue up until start() launches the writer thread: the gateway
  // starts no thread before it has given its privileges up (they are per
  // thread). flush() and the destructor start it if nobody did.
  explicit AuditSink(std::unique_ptr<audit::AuditLog> log);
  ~AuditSink();  // drains what is queued, then stops

  void start();

  void record(audit::AuditEvent event);
  // Blocks until everything queued so far is on disk (tests, shutdown).
  void flush();
  std::string last_hash() const { return log_->last_hash(); }

 private:
  void run();

  std::unique_ptr<audit::AuditLog> log_;
  std::mutex mutex_;
  std::condition_variable wake_, drained_;
  std::deque<audit::AuditEvent> queue_;
  bool writing_ = false;
  bool stopping_ = false;
  std::once_flag started_;
  std::thread thread_;
};

}  // namespace nanbyo::gw
