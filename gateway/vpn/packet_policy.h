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

#include "gateway/vpn/ip_packet.h"
#include "pki/result.h"
#include "policy/net/cidr.h"
#include "policy/net/port_range.h"

namespace nanbyo::vpn {

struct AllowRule {
  net::Cidr destination;
  std::optional<std::uint8_t> protocol;  // any protocol when empty
  std::vector<net::PortRange> ports;     // TCP/UDP destination ports; any when empty
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
  PacketDecision evaluate(std::span<const std::uint8_t> packet,
                          const net::IpAddress& assigned) const;
  PacketDecision evaluate(const PacketInfo& packet, const net::IpAddress& assigned) const;

  const std::vector<AllowRule>& rules() const { return rules_; }

 private:
  explicit PacketPolicy(std::vector<AllowRule> rules) : rules_(std::move(rules)) {}

  std::vector<AllowRule> rules_;
};

}  // namespace nanbyo::vpn
