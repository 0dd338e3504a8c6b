// The packet policy of a VPN session (S-6): each IP packet a client sends is checked, in this
// order, for well-formedness, for its source (must be the address the session was given:
// anti-spoofing), for its destination (in a full tunnel: inside the networks the tunnel
// reaches) and against an allow-list of service networks with optional protocol and
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

// DropOutsideService: a full tunnel's packet to an address outside the networks it reaches
// (the PC's Internet and other traffic); DropNotAllowed: inside them, but no rule allows it.
enum class Verdict { Allow, DropSpoofed, DropOutsideService, DropNotAllowed, DropMalformed };
std::string_view to_string(Verdict verdict);  // "allow", "drop-spoofed", ...

struct PacketDecision {
  Verdict verdict = Verdict::DropMalformed;
  std::string reason;  // empty for Allow; one short line otherwise (audit, debug log)
  std::optional<net::IpAddress> destination;  // of a packet that could be read
};

class PacketPolicy {
 public:
  // Refuses ports without protocol TCP or UDP, and ranges with first > last. `reach`, when not
  // empty, bounds the tunnel (full tunnel, S-6): a packet to an address outside every network
  // of it is DropOutsideService whatever the rules say, and a rule whose destination is not
  // inside one of them is refused. Empty: no bound (a split tunnel's routes keep the PC's
  // other traffic out of the tunnel).
  static Result<PacketPolicy> create(std::vector<AllowRule> rules,
                                     std::vector<net::Cidr> reach = {});

  // `assigned` is the session's tunnel address (X-CSTP-Address). A non-first fragment has no
  // ports: it passes a rule whose network and protocol match, whatever the rule's ports. Its
  // first fragment carried the ports and was judged on them, and inspect_packet refuses the
  // tiny and overlapping fragments (RFC 1858) that would let a later one rewrite them.
  // `assigned_v6`, when given, is the session's IPv6 address (a full tunnel's capture
  // address): its packets are the session's own, and go no further than the reach allows.
  PacketDecision evaluate(std::span<const std::uint8_t> packet, const net::IpAddress& assigned,
                          const net::IpAddress* assigned_v6 = nullptr) const;
  PacketDecision evaluate(const PacketInfo& packet, const net::IpAddress& assigned,
                          const net::IpAddress* assigned_v6 = nullptr) const;

  const std::vector<AllowRule>& rules() const { return rules_; }
  const std::vector<net::Cidr>& reach() const { return reach_; }

 private:
  PacketPolicy(std::vector<AllowRule> rules, std::vector<net::Cidr> reach)
      : rules_(std::move(rules)), reach_(std::move(reach)) {}

  bool reaches(const net::IpAddress& destination) const;

  std::vector<AllowRule> rules_;
  std::vector<net::Cidr> reach_;
};

}  // namespace nanbyo::vpn
