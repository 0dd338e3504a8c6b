// What the auditor's console (issue 17, S-7) searches a record by, read from the
// record as each process writes it. The gateway names the PC certificate's serial
// as the actor and the hospital and terminal in the detail; the application core
// names the user as the actor, "hospital/terminal" as the source and the serial
// in the detail ("cert-serial"). Alerts are the records a security auditor looks
// at first: inspection findings, tunnel scans, illicit operations, IPS blocks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pki/audit/audit_record.h"

namespace nanbyo::console {

struct RecordFacets {
  std::string user;           // application user id, or the VPN login name
  std::string hospital;       // 医療機関番号
  std::string terminal;       // client certificate serial (hex)
  std::string terminal_name;  // certificate CN or peer address
  bool alert = false;
  std::string family;    // alert family: "sqli", "port-scan", "new-terminal", "ips-block"...
  std::string severity;  // alert severity: CRITICAL, WARNING...
};

// Which process wrote the log a record comes from (the console is told per log).
enum class Writer { Gateway, ApplicationCore };

RecordFacets facets_of(const audit::AuditRecord& record, Writer writer);

// The daily counters a record adds to (the console's charts): zero or more of
// "connection-allowed", "connection-refused", "login", "login-failure" and
// "alert:<family>".
std::vector<std::string> daily_metrics_of(const audit::AuditRecord& record,
                                          const RecordFacets& facets);

// Japanese names for the console.
std::string_view event_label(std::string_view event);  // "" when not named
std::string_view outcome_label(audit::Outcome outcome);
std::string family_label(std::string_view family);

}  // namespace nanbyo::console
