#include "pki/audit/detecting_sink.h"

#include "pki/audit/audit_reader.h"

namespace nanbyo::audit {

DetectingSink::DetectingSink(AuditSink& inner, DetectionRules rules, const Clock& clock,
                             AlertReport on_alert)
    : inner_(inner), clock_(clock), on_alert_(std::move(on_alert)), detector_(std::move(rules)) {}

void DetectingSink::set_rules(DetectionRules rules) {
  std::lock_guard lock(mutex_);
  detector_.set_rules(std::move(rules));
}

Result<std::size_t> DetectingSink::learn_from(const std::filesystem::path& live) {
  std::size_t read = 0;
  std::lock_guard lock(mutex_);
  NANBYO_TRY_VOID(read_set(live, RecordFilter{}, [&](const std::string&, const AuditRecord& r) {
    ++read;
    if (detector_.relevant(r.event)) detector_.observe(r, r.time, true);
  }));
  return read;
}

Result<void> DetectingSink::append(std::span<const AuditEvent> events) {
  NANBYO_TRY_VOID(inner_.append(events));
  for (const auto& event : events) {
    if (detector_.relevant(event.event)) detect(event);
  }
  return {};
}

void DetectingSink::record(AuditEvent event) {
  if (!detector_.relevant(event.event)) {  // rules_ never change: no lock needed to ask
    inner_.record(std::move(event));
    return;
  }
  inner_.record(event);
  detect(event);
}

void DetectingSink::detect(const AuditEvent& event) {
  std::vector<AuditEvent> alerts;
  {
    std::lock_guard lock(mutex_);
    alerts = detector_.observe(event, clock_.now());
  }
  for (auto& alert : alerts) {
    if (on_alert_) on_alert_(alert);
    inner_.record(std::move(alert));
  }
}

}  // namespace nanbyo::audit
