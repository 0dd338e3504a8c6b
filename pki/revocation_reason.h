// CRL reason codes (RFC 5280 5.3.1) by the names operators type.
#pragma once

#include <string>
#include <string_view>

#include "pki/result.h"

namespace nanbyo::pki {

// Accepts kebab-case names such as "key-compromise"; the answer is the RFC code.
Result<int> parse_revocation_reason(std::string_view name);
std::string revocation_reason_name(int code);

}  // namespace nanbyo::pki
