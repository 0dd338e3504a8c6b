#include "gateway/tund/tun_limits.h"

#include "gateway/vpn/cstp_headers.h"

namespace nanbyo::tund {

Result<TunLimits> limits_from_policy(const policy::Vpn& vpn) {
  if (!vpn.address_pool.is_v4()) return fail("vpn.address_pool: not an IPv4 network");
  return TunLimits{vpn.address_pool, vpn.gateway_address,
                   std::clamp(vpn.mtu, vpn::kMinTunnelMtu, vpn::kMaxTunnelMtu)};
}

Result<gw::TunConfig> admit(const TunRequest& request, const TunLimits& limits) {
  const std::string peer = request.peer.to_string();
  if (!limits.pool.contains(request.peer)) {
    return fail("address " + peer + " is outside the pool " + limits.pool.to_string());
  }
  const std::uint32_t host_bits = ~limits.pool.netmask_v4().to_uint();
  const std::uint32_t offset = request.peer.to_uint() & host_bits;
  if (offset == 0 || offset == host_bits) {
    return fail("address " + peer + " is the pool's network or broadcast address");
  }
  if (request.peer == limits.gateway) return fail("address " + peer + " is the gateway's");
  if (request.mtu < vpn::kMinTunnelMtu || request.mtu > limits.max_mtu) {
    return fail("MTU " + std::to_string(request.mtu) + " is outside " +
                std::to_string(vpn::kMinTunnelMtu) + "-" + std::to_string(limits.max_mtu));
  }
  return gw::TunConfig{limits.gateway, request.peer, request.mtu, "nbvpn%d"};
}

}  // namespace nanbyo::tund
