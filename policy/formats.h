// The scalar formats of the policy: integers, booleans, endpoints, upstream
// addresses, hospital numbers, names, path prefixes, the control bus. Each
// parser returns the value or a message without a location; the schema adds
// file:line:column and the key path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pki/result.h"
#include "policy/policy.h"

namespace nanbyo::policy::formats {

// Decimal integers only ("12", "-3"); no "0x", "1e3", "1_000" or "+1".
Result<std::int64_t> parse_integer(std::string_view text);
// true/True/TRUE or false/False/FALSE (YAML 1.2 core); not yes/no/on/off.
Result<bool> parse_boolean(std::string_view text);

// "host:port" with an IP address literal; IPv6 as "[::1]:8443"; port 1-65535.
Result<Endpoint> parse_endpoint(std::string_view text);
bool is_loopback(const Endpoint& endpoint);
bool is_unspecified(const Endpoint& endpoint);  // 0.0.0.0 or ::
// "unix:<path>" (path as written, not yet resolved) or a non-wildcard endpoint.
Result<UpstreamAddress> parse_upstream_address(std::string_view text);
// "system", "session" or a D-Bus address starting with "unix:".
Result<ControlBus> parse_control_bus(std::string_view text);

bool is_hospital_number(std::string_view text);            // 医療機関番号: exactly 10 digits
Result<void> check_hospital_entry(std::string_view text);  // a number or "*"
// Listener, upstream and role names: [a-z0-9][a-z0-9_-]*, at most 63 characters.
Result<void> check_name(std::string_view text);
// An IKE or ESP proposal as strongSwan writes it ("aes256gcm16-prfsha256-ecp256"): lower-case
// algorithm names joined by "-", none of them weak (DES, 3DES, MD5, SHA-1, MODP below 2048,
// null encryption).
Result<void> check_ipsec_proposal(std::string_view text);
// A country of allowed_countries: two capital letters (ISO 3166-1 alpha-2) or "*".
Result<void> check_country_entry(std::string_view text);
// A ModSecurity rule id: 1 to 9 digits.
Result<void> check_rule_id(std::string_view text);
// A ModSecurity variable a rule stops looking at: "ARGS:name", "REQUEST_COOKIES:name",
// "ARGS_NAMES", "REQUEST_HEADERS:name" (letters, digits, "_", "-", "." in the name).
Result<void> check_rule_target(std::string_view text);
// An HTTP header name (letters, digits, "-"), or a prefix of one ending in "*".
Result<void> check_header_pattern(std::string_view text);
// "/" or "/seg/seg": no trailing "/", no empty, "." or ".." segments, no query.
Result<void> check_path_prefix(std::string_view text);

// `text` in double quotes for a one-line message: escaped, cut at 80 bytes.
std::string quote(std::string_view text);

}  // namespace nanbyo::policy::formats
