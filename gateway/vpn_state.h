// The gateway's side of the OpenConnect VPN, built from the policy's vpn section.
// VpnProfile belongs to a policy snapshot (tunnel settings, packet policy: a reload changes
// them for new tunnels). VpnState lives as long as the gateway: the address pool and the
// session cookies cannot change under live tunnels, so a reload refuses to touch the pool.
#pragma once

#include <memory>

#include "gateway/vpn/address_pool.h"
#include "gateway/vpn/cstp_headers.h"
#include "gateway/vpn/packet_policy.h"
#include "gateway/vpn/session_cookie.h"
#include "pki/clock.h"
#include "pki/result.h"
#include "policy/policy.h"

namespace nanbyo::gw {

struct VpnProfile {
  vpn::TunnelSettings settings;
  vpn::PacketPolicy packets;
  net::Ipv4Address gateway_address;  // the server end of every tunnel
};

struct VpnState {
  std::unique_ptr<vpn::AddressPool> pool;
  vpn::SessionCookieStore cookies;

  VpnState(std::unique_ptr<vpn::AddressPool> p, const Clock& clock,
           std::chrono::seconds cookie_lifetime)
      : pool(std::move(p)), cookies(clock, cookie_lifetime) {}
};

// The policy has checked every field; these fail only on what it cannot see (e.g. settings
// the CSTP layer refuses), with a message naming the vpn section.
Result<std::shared_ptr<const VpnProfile>> build_vpn_profile(const policy::Vpn& vpn);
Result<std::unique_ptr<VpnState>> build_vpn_state(const policy::Vpn& vpn, const Clock& clock);

// Whether a reload from `a` to `b` keeps what live tunnels depend on ("" when it does).
std::string vpn_needs_restart(const policy::Policy& a, const policy::Policy& b);

}  // namespace nanbyo::gw
