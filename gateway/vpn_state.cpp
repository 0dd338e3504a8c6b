#include "gateway/vpn_state.h"

namespace nanbyo::gw {
namespace {

std::optional<std::uint8_t> protocol_number(const std::string& name) {
  if (name == "tcp") return vpn::kProtoTcp;
  if (name == "udp") return vpn::kProtoUdp;
  if (name == "icmp") return vpn::kProtoIcmp;
  return std::nullopt;  // any
}

std::optional<std::chrono::seconds> unless_zero(std::chrono::seconds s) {
  if (s.count() == 0) return std::nullopt;
  return s;
}

net::Cidr host_network(net::Ipv4Address address) {
  return net::Cidr::make(net::IpAddress(address), 32).value();
}

// A full tunnel passes DNS to the servers the client was given (S-6): without them the PC,
// whose every query now enters the tunnel, would resolve no name at all.
void allow_dns(const policy::Vpn& v, std::vector<vpn::AllowRule>& rules) {
  for (const net::Ipv4Address& server : v.dns) {
    for (std::uint8_t protocol : {vpn::kProtoUdp, vpn::kProtoTcp}) {
      rules.push_back({host_network(server), protocol, {net::PortRange{53, 53}}});
    }
  }
}

}  // namespace

Result<std::shared_ptr<const VpnProfile>> build_vpn_profile(const policy::Vpn& v) {
  vpn::TunnelSettings settings;
  settings.max_mtu = v.mtu;
  settings.dns = v.dns;
  settings.default_domain = v.default_domain;
  const bool full = v.mode == policy::TunnelMode::Full;
  if (!full) settings.split_include = v.service_networks;  // full: no route, all in (S-6)
  settings.capture_ipv6 = full;
  settings.keepalive = v.keepalive;
  settings.dpd = v.dpd;
  settings.idle_timeout = unless_zero(v.idle_timeout);
  settings.session_timeout = unless_zero(v.session_timeout);
  if (auto ok = vpn::check_tunnel_settings(settings); !ok) {
    return fail("vpn: " + ok.error().message);
  }
  std::vector<vpn::AllowRule> rules;
  for (const auto& rule : v.allow) {
    rules.push_back({rule.destination, protocol_number(rule.protocol), rule.ports});
  }
  std::vector<net::Cidr> reach;
  if (full) {
    allow_dns(v, rules);
    reach = v.service_networks;
    for (const net::Ipv4Address& server : v.dns) reach.push_back(host_network(server));
  }
  auto packets = vpn::PacketPolicy::create(std::move(rules), std::move(reach));
  if (!packets) return fail("vpn.allow: " + packets.error().message);
  return std::make_shared<const VpnProfile>(
      VpnProfile{std::move(settings), std::move(packets.value()), v.gateway_address});
}

Result<std::unique_ptr<VpnState>> build_vpn_state(const policy::Vpn& v, const Clock& clock) {
  auto pool = vpn::AddressPool::create(v.address_pool, v.gateway_address);
  if (!pool) return fail("vpn.address_pool: " + pool.error().message);
  return std::make_unique<VpnState>(std::move(pool.value()), clock, v.cookie_lifetime);
}

std::string vpn_needs_restart(const policy::Policy& a, const policy::Policy& b) {
  if (a.vpn.has_value() != b.vpn.has_value()) return "vpn";
  if (!a.vpn) return "";
  if (a.vpn->address_pool != b.vpn->address_pool) return "vpn.address_pool";
  if (a.vpn->gateway_address != b.vpn->gateway_address) return "vpn.gateway_address";
  if (a.vpn->cookie_lifetime != b.vpn->cookie_lifetime) return "vpn.cookie_lifetime_s";
  return "";
}

}  // namespace nanbyo::gw
