// Who a certificate names, and the checks on what operators type for it.
// A hospital PC certificate carries 医療機関番号 in organizationIdentifier
// (2.5.4.97) and the terminal name in CN, so policy can bind users to their
// hospital's PCs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pki/ossl_handles.h"
#include "pki/result.h"

namespace nanbyo::pki {

struct ClientIdentity {
  std::string hospital_number;  // 医療機関番号, 10 digits
  std::string terminal;         // PC name chosen by the operator
};

Result<void> validate_hospital_number(std::string_view number);
Result<void> validate_terminal_name(std::string_view name);
Result<void> validate_dns_name(std::string_view name);
Result<void> validate_ip_address(std::string_view address);

ossl::X509NamePtr ca_subject(std::string_view common_name);
ossl::X509NamePtr server_subject(std::string_view common_name);
ossl::X509NamePtr client_subject(const ClientIdentity& identity);

// Reads the identity back from a client certificate (the gateway's view).
Result<ClientIdentity> client_identity(X509* cert);

// Canonical serial text: upper-case hex without leading zeros or separators.
std::string serial_hex(X509* cert);
Result<std::string> normalize_serial(std::string_view text);

std::string subject_text(X509* cert);  // RFC 2253 one line

}  // namespace nanbyo::pki
