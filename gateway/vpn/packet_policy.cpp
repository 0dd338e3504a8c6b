#include "gateway/vpn/packet_policy.h"

#include <algorithm>

namespace nanbyo::vpn {
namespace {

bool matches(const AllowRule& rule, const PacketInfo& packet) {
  if (!rule.destination.contains(packet.destination)) return false;
  if (rule.protocol && *rule.protocol != packet.protocol) return false;
  if (rule.ports.empty() || !packet.first_fragment) return true;
  if (!packet.destination_port) return false;
  std::uint16_t port = *packet.destination_port;
  return std::any_of(rule.ports.begin(), rule.ports.end(),
                     [port](const net::PortRange& range) { return range.contains(port); });
}

std::string describe(const PacketInfo& packet) {
  std::string protocol;
  switch (packet.protocol) {
    case kProtoTcp:
      protocol = "tcp";
      break;
    case kProtoUdp:
      protocol = "udp";
      break;
    case kProtoIcmp:
      protocol = "icmp";
      break;
    case kProtoIcmpV6:
      protocol = "icmpv6";
      break;
    default:
      protocol = "proto " + std::to_string(packet.protocol);
  }
  std::string text = protocol + " to " + packet.destination.to_string();
  if (packet.destination_port) text += " port " + std::to_string(*packet.destination_port);
  if (packet.icmp_type) text += " type " + std::to_string(*packet.icmp_type);
  if (!packet.first_fragment) text += " (fragment)";
  return text;
}

}  // namespace

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::Allow:
      return "allow";
    case Verdict::DropSpoofed:
      return "drop-spoofed";
    case Verdict::DropOutsideService:
      return "drop-outside-service";
    case Verdict::DropNotAllowed:
      return "drop-not-allowed";
    case Verdict::DropMalformed:
      return "drop-malformed";
  }
  return "unknown";
}

Result<PacketPolicy> PacketPolicy::create(std::vector<AllowRule> rules,
                                          std::vector<net::Cidr> reach) {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const AllowRule& rule = rules[i];
    std::string where =
        "allow rule " + std::to_string(i + 1) + " (" + rule.destination.to_string() + "): ";
    const auto inside = [&rule](const net::Cidr& network) {
      return network.contains(rule.destination);
    };
    if (!reach.empty() && std::none_of(reach.begin(), reach.end(), inside)) {
      return fail(where + "outside the networks the full tunnel reaches");
    }
    bool has_ports = rule.protocol == kProtoTcp || rule.protocol == kProtoUdp;
    if (!rule.ports.empty() && !has_ports) {
      return fail(where + "ports need protocol tcp or udp");
    }
    for (const net::PortRange& range : rule.ports) {
      if (range.first > range.last) {
        return fail(where + "port range " + std::to_string(range.first) + "-" +
                    std::to_string(range.last) + " is inverted");
      }
    }
  }
  return PacketPolicy(std::move(rules), std::move(reach));
}

bool PacketPolicy::reaches(const net::IpAddress& destination) const {
  if (reach_.empty()) return true;
  return std::any_of(reach_.begin(), reach_.end(), [&destination](const net::Cidr& network) {
    return network.contains(destination);
  });
}

PacketDecision PacketPolicy::evaluate(std::span<const std::uint8_t> packet,
                                      const net::IpAddress& assigned,
                                      const net::IpAddress* assigned_v6) const {
  auto info = inspect_packet(packet);
  if (!info) return {Verdict::DropMalformed, info.error().message, {}};
  return evaluate(*info, assigned, assigned_v6);
}

PacketDecision PacketPolicy::evaluate(const PacketInfo& packet, const net::IpAddress& assigned,
                                      const net::IpAddress* assigned_v6) const {
  if (packet.source != assigned && (assigned_v6 == nullptr || packet.source != *assigned_v6)) {
    return {Verdict::DropSpoofed,
            "source " + packet.source.to_string() + " is not the session's " + assigned.to_string(),
            packet.destination};
  }
  if (!reaches(packet.destination)) {
    return {Verdict::DropOutsideService, describe(packet) + " is outside the service networks",
            packet.destination};
  }
  for (const AllowRule& rule : rules_) {
    if (matches(rule, packet)) return {Verdict::Allow, {}, {}};
  }
  return {Verdict::DropNotAllowed, describe(packet) + " matches no allow rule", packet.destination};
}

}  // namespace nanbyo::vpn
