#include "pki/audit/audit_sink.h"

#include <atomic>

namespace nanbyo::audit {
namespace {

class LogSink final : public AuditSink {
 public:
  explicit LogSink(AuditLog& log) : log_(log) {}
  using AuditSink::append;
  Result<void> append(std::span<const AuditEvent> events) override {
    if (events.empty()) return {};
    auto written = log_.append_batch(events);
    writable_ = written.ok();
    if (!written) return written.error();
    return {};
  }
  bool writable() const override { return writable_; }

 private:
  AuditLog& log_;
  std::atomic<bool> writable_ = true;
};

}  // namespace

std::unique_ptr<AuditSink> make_log_sink(AuditLog& log) {
  return std::make_unique<LogSink>(log);
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
