// `nanbyoctl audit verify FILE [--anchor HASH]`: checks an audit log's hash
// chain (pki/audit/audit_verify.h) without any bus or gateway. Prints
// "OK: N records, last hash H" and returns 0, or the first problem as one
// error line naming the file and line, and returns 1.
#pragma once

#include <string>

namespace nanbyo::ctl {

// An empty `anchor` verifies the chain only.
int verify_audit_log(const std::string& file, const std::string& anchor);

}  // namespace nanbyo::ctl
