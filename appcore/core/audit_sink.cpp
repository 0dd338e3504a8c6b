#include "appcore/core/audit_sink.h"

namespace nanbyo::appcore {
namespace {

class AuditLogSink final : public AuditSink {
 public:
  explicit AuditLogSink(audit::AuditLog& log) : log_(log) {}
  using AuditSink::append;
  Result<void> append(std::span<const audit::AuditEvent> events) override {
    if (events.empty()) return {};
    auto written = log_.append_batch(events);
    if (!written) return written.error();
    return {};
  }

 private:
  audit::AuditLog& log_;
};

}  // namespace

std::unique_ptr<AuditSink> make_audit_log_sink(audit::AuditLog& log) {
  return std::make_unique<AuditLogSink>(log);
}

Result<void> MemoryAuditSink::append(std::span<const audit::AuditEvent> events) {
  std::lock_guard lock(mutex_);
  events_.insert(events_.end(), events.begin(), events.end());
  return {};
}

std::vector<audit::AuditEvent> MemoryAuditSink::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

}  // namespace nanbyo::appcore
