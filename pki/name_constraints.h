// Name constraints of the root CA (issue 13, S-4). Hospitals are never asked to trust the
// private root for the server any more; where a private server certificate is still used (a
// closed network, development), the root that PCs would trust is limited to the service's own
// names: every certificate below it may name only these DNS subtrees and IP networks.
#pragma once

#include <string>
#include <vector>

#include "pki/ossl_handles.h"
#include "pki/result.h"

namespace nanbyo::pki {

struct PermittedNames {
  std::vector<std::string> dns;  // "vpn.example.jp": the name and every name below it
  std::vector<std::string> ip;   // CIDR: "192.0.2.0/24", "2001:db8::/32", "192.0.2.10/32"

  bool empty() const { return dns.empty() && ip.empty(); }
};

// The value for X509V3_EXT_conf_nid(NID_name_constraints, ...), e.g.
// "critical,permitted;DNS:vpn.example.jp,permitted;IP:192.0.2.0/255.255.255.0".
Result<std::string> name_constraints_config(const PermittedNames& names);

// Whether `cert` stays within the name constraints of `ca` (true when `ca` has none).
Result<void> check_within_constraints(X509* ca, X509* cert);

// Whether `ca` carries name constraints at all.
bool has_name_constraints(X509* ca);

}  // namespace nanbyo::pki
