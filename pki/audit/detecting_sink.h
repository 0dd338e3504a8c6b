// The illicit-operation detector between a process and its audit sink (S-7, issue 17;
// docs/detection.md): every record written passes the rules, and an alert is written to the
// same sink right after the record that completed its pattern, then reported (journal,
// metrics) through `on_alert`. Records no rule reads pass with a comparison of their name.
#pragma once

#include <filesystem>
#include <functional>
#include <mutex>

#include "pki/audit/audit_sink.h"
#include "pki/audit/illicit_operations.h"
#include "pki/clock.h"

namespace nanbyo::audit {

class DetectingSink final : public AuditSink {
 public:
  using AlertReport = std::function<void(const AuditEvent& alert)>;
  // `inner` and `clock` must outlive the sink.
  DetectingSink(AuditSink& inner, DetectionRules rules, const Clock& clock, AlertReport on_alert);

  // At start: replays the log `live` and its rotated files in learning mode (the terminals
  // each user has logged in from), raising nothing; answers how many records it read.
  Result<std::size_t> learn_from(const std::filesystem::path& live);

  // New thresholds from a reloaded policy, for the records from now on.
  void set_rules(DetectionRules rules);

  using AuditSink::append;
  Result<void> append(std::span<const AuditEvent> events) override;
  void record(AuditEvent event) override;
  bool writable() const override { return inner_.writable(); }
  void flush() override { inner_.flush(); }

 private:
  void detect(const AuditEvent& event);  // an event some rule reads

  AuditSink& inner_;
  const Clock& clock_;
  AlertReport on_alert_;
  std::mutex mutex_;
  IllicitOperationDetector detector_;  // guarded by mutex_
};

}  // namespace nanbyo::audit
