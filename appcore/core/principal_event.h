// The audit record of something a user did (S-7): actor, "hospital/terminal"
// source and the PC certificate's serial, so the auditor's console finds a
// terminal's records in both processes' logs. AppCore, FormService and the
// web console's own records are built here alike.
#pragma once

#include <map>
#include <string>

#include "appcore/core/model.h"
#include "pki/audit/audit_record.h"

namespace nanbyo::appcore {

audit::AuditEvent principal_event(const Principal& p, std::string name, audit::Outcome outcome,
                                  std::string subject, std::map<std::string, std::string> detail);

}  // namespace nanbyo::appcore
