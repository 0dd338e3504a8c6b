#include "pki/audit/audit_sink.h"

#include <atomic>
#include <string>
#include <utility>

namespace nanbyo::audit {
namespace {

class LogSink final : public AuditSink {
 public:
  LogSink(AuditLog& log, LogSinkOptions options) : log_(log), options_(std::move(options)) {
    if (options_.anchors && options_.clock) next_anchor_ = options_.clock->now();
  }
  using AuditSink::append;
  Result<void> append(std::span<const AuditEvent> events) override {
    if (events.empty()) return {};
    auto written = log_.append_batch(events);
    writable_ = written.ok();
    if (auto error = log_.take_rotation_error(); !error.empty()) report(error);
    if (!written) {
      report("audit log write failed: " + written.error().message);
      if (options_.refuse_on_failure) return written.error();
      return {};
    }
    anchor();
    return {};
  }
  bool writable() const override { return writable_; }

 private:
  void report(const std::string& message) const {
    if (options_.report) options_.report(message);
  }
  void anchor() {
    if (!options_.anchors || !options_.clock) return;
    const std::uint64_t rotations = log_.rotations();
    const TimePoint now = options_.clock->now();
    std::lock_guard lock(anchor_mutex_);
    const char* reason = rotations != seen_rotations_ ? "rotation"
                         : now >= next_anchor_        ? "interval"
                                                      : nullptr;
    if (!reason) return;
    seen_rotations_ = rotations;
    next_anchor_ = now + options_.anchor_interval;
    options_.anchors->export_anchor(log_.position(), reason);
  }

  AuditLog& log_;
  const LogSinkOptions options_;
  std::atomic<bool> writable_ = true;
  std::mutex anchor_mutex_;
  std::uint64_t seen_rotations_ = 0;  // guarded by anchor_mutex_
  TimePoint next_anchor_;             // guarded by anchor_mutex_
};

}  // namespace

std::unique_ptr<AuditSink> make_log_sink(AuditLog& log, LogSinkOptions options) {
  return std::make_unique<LogSink>(log, std::move(options));
}

Result<void> MemoryAuditSink::append(std::span<const AuditEvent> events) {
  std::lock_guard lock(mutex_);
  if (failing_) return fail("audit log memory: writes fail (test)");
  events_.insert(events_.end(), events.begin(), events.end());
  return {};
}

bool MemoryAuditSink::writable() const {
  std::lock_guard lock(mutex_);
  return !failing_;
}

std::vector<AuditEvent> MemoryAuditSink::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

void MemoryAuditSink::fail_writes(bool failing) {
  std::lock_guard lock(mutex_);
  failing_ = failing;
}

}  // namespace nanbyo::audit
