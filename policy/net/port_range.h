// TCP/UDP destination ports in a VPN allow rule: "443" or "8000-8100".
#pragma once

#include <cstdint>
#include <string_view>

#include "pki/result.h"

namespace nanbyo::net {

struct PortRange {
  std::uint16_t first = 0;  // the default is every port a packet can carry
  std::uint16_t last = 65535;

  // A port 1-65535 or "first-last" with first <= last. The message does not repeat the text:
  // callers quote it in their own context.
  static Result<PortRange> parse(std::string_view text);

  bool contains(std::uint16_t port) const { return port >= first && port <= last; }
  bool operator==(const PortRange&) const = default;
};

}  // namespace nanbyo::net
