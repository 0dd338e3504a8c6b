// Where the application core writes its audit records (S-7). One interface so
// tests read the records back; production appends to the hash-chained
// nanbyo_audit log (pki/audit/audit_log.h).
#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "pki/audit/audit_log.h"
#include "pki/audit/audit_record.h"
#include "pki/result.h"

namespace nanbyo::appcore {

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // All or none of the events are recorded.
  virtual Result<void> append(std::span<const audit::AuditEvent> events) = 0;
  Result<void> append(const audit::AuditEvent& event) { return append(std::span(&event, 1)); }
};

// Appends to an AuditLog (one write + fdatasync per call).
std::unique_ptr<AuditSink> make_audit_log_sink(audit::AuditLog& log);

// Keeps the events in memory (tests, benchmarks).
class MemoryAuditSink final : public AuditSink {
 public:
  using AuditSink::append;
  Result<void> append(std::span<const audit::AuditEvent> events) override;
  std::vector<audit::AuditEvent> events() const;

 private:
  mutable std::mutex mutex_;
  std::vector<audit::AuditEvent> events_;
};

}  // namespace nanbyo::appcore
