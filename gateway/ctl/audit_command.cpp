#include "gateway/ctl/audit_command.h"

#include <iostream>

#include "gateway/ctl/bus_commands.h"
#include "pki/audit/audit_verify.h"

namespace nanbyo::ctl {

int verify_audit_log(const std::string& file, const std::string& anchor) {
  auto summary =
      anchor.empty() ? audit::verify_audit_file(file) : audit::verify_audit_file(file, anchor);
  if (!summary) return report_error(summary.error().message);
  std::cout << "OK: " << summary->records << (summary->records == 1 ? " record" : " records")
            << ", last hash " << summary->last_hash << "\n";
  return 0;
}

}  // namespace nanbyo::ctl
