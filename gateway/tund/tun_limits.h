// What nanbyo-tund lets the gateway ask for (issue 13): taken from the helper's own reading of
// the policy's vpn section, never from the request. A request names a client address and an
// MTU; the helper admits it only inside these limits and builds the interface's whole
// configuration (gateway end, name pattern) itself.
#pragma once

#include "gateway/tund/tun_device.h"
#include "gateway/tund/tun_request.h"
#include "pki/result.h"
#include "policy/net/cidr.h"
#include "policy/policy.h"

namespace nanbyo::tund {

struct TunLimits {
  net::Cidr pool;            // vpn.address_pool
  net::Ipv4Address gateway;  // vpn.gateway_address: the local end of every interface
  unsigned max_mtu = 1400;   // vpn.mtu
};

Result<TunLimits> limits_from_policy(const policy::Vpn& vpn);

// The interface to create for `request`, or why not: the client address must be a host
// address of the pool other than the gateway's, the MTU within 576 and the policy's MTU.
Result<gw::TunConfig> admit(const TunRequest& request, const TunLimits& limits);

}  // namespace nanbyo::tund
