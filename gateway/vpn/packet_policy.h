// The packet policy of a VPN session (S-6): each IP packet a client sends is checked, in this
// order, for well-formedness, for its source (must be the address the session was given:
// anti-spoofing) and against an allow-list of service networks with optional protocol and
// destination ports. Immutable once built; shared by all sessions of a policy snapshot.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/vpn/cidr.h"
#include "gateway/vpn/ip_packet.h"
#include "pki/result.h"

namespace nanbyo::vpn {

struct PortRange {
  std::uint16_t first = 0;
  std::uint16_t last = 65535;
  bool contains(std::uint16_t port) const { return port >= first && port <= last; }
};

struct AllowRule {
  Cidr destination;
  std::optional<std::uint8_t> protocol;  // any protocol when empty
  std::vector<PortRange> ports;          // TCP/UDP destination ports; any when empty
};

enum class Verdict { Allow, DropSpoofed, DropNotAllowed, DropMalformed };
std::string_view to_string(Verdict verdict);  // "allow", "drop-spoofed", ...

struct PacketDecision {
  Verdict verdict = Verdict::DropMalformed;
  std::string reason;  // empty for Allow; one short line otherwise (audit, debug log)
};

class PacketPolicy {
 public:
  // Refuses ports without protocol TCP or UDP, and ranges with first > last.
  static Result<PacketPolicy> create(std::vector<AllowRule> rules);

  // `assigned` is the session's tunnel address (X-CSTP-Address). A non-first fragment has no
  // ports: it passes a rule whose network and protocol match, whatever the rule's ports. Its
  // first fragment carried the ports and was judged on them, and inspect_packet refuses the
  // tiny and overlapping fragments (RFC 1858) that would let a later one rewrite them.
  PacketDecision evaluate(std::span<const std::uint8_t> packet, const IpAddress& assigned) const;
  PacketDecision evaluate(const PacketInfo& packet, const IpAddress& assigned) const;

  const std::vector<AllowRule>& rules() const { return rules_; }

 private:
  explicit PacketPolicy(std::vector<AllowRule> rules) : rules_(std::move(rules)) {}

  std::vector<AllowRule> rules_;
};

}  // namespace nanbyo::vpn
