#include "appcore/core/principal_event.h"

namespace nanbyo::appcore {

audit::AuditEvent principal_event(const Principal& p, std::string name, audit::Outcome outcome,
                                  std::string subject, std::map<std::string, std::string> detail) {
  audit::AuditEvent e;
  e.event = std::move(name);
  e.outcome = outcome;
  e.actor = p.user_id.empty() ? "anonymous" : p.user_id;
  e.subject = std::move(subject);
  e.source = p.hospital.empty() ? p.terminal : p.hospital + "/" + p.terminal;
  e.detail = std::move(detail);
  if (!p.cert_serial.empty()) e.detail.emplace("cert-serial", p.cert_serial);
  return e;
}

}  // namespace nanbyo::appcore
