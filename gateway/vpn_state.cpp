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

}  // namespace

Result<std::shared_ptr<const VpnProfile>> build_vpn_profile(const policy::Vpn& v) {
  vpn::TunnelSettings settings;
  settings.max_mtu = v.mtu;
  settings.dns = v.dns;
  settings.default_domain = v.default_domain;
  settings.split_include = v.split_include;
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
  auto packets = vpn::PacketPolicy::create(std::move(rules));
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
