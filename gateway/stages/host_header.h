// The value of a Host header (RFC 9110 7.2): what the hygiene stage accepts.
#pragma once

#include <string_view>

namespace nanbyo::gw {

// host [":" port]: a DNS name, an IPv4 address or "[" IPv6 "]"; a port 0-65535.
bool valid_host_header(std::string_view value);

}  // namespace nanbyo::gw
