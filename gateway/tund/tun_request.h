// The wire protocol between nanbyo-gateway and nanbyo-tund, the privileged helper that creates
// TUN interfaces (issue 13). One SOCK_SEQPACKET connection per interface, one message each way:
//
//   gateway -> helper   "open <client IPv4> <MTU>"       e.g. "open 10.255.0.2 1400"
//   helper -> gateway   "ok <interface name>"            with the TUN descriptor (SCM_RIGHTS)
//                       "error <message>"                no descriptor
//
// The gateway names only the client's address and the MTU: the helper takes the gateway's end
// of the tunnel, the allowed pool and the largest MTU from its own copy of the policy, and
// picks the interface name itself (tun_limits.h). The request is the only input the helper
// takes from the network-facing process, so it is parsed strictly: canonical dotted decimal,
// a decimal MTU without leading zeros, single spaces, nothing else, at most kMaxMessage bytes.
#pragma once

#include <string>
#include <string_view>

#include "pki/result.h"
#include "policy/net/cidr.h"

namespace nanbyo::tund {

inline constexpr std::size_t kMaxMessage = 128;

struct TunRequest {
  net::Ipv4Address peer;  // the client's tunnel address (X-CSTP-Address)
  unsigned mtu = 0;
};

std::string encode_request(const TunRequest& request);
Result<TunRequest> parse_request(std::string_view message);

std::string encode_ok(std::string_view interface_name);
std::string encode_error(std::string_view message);

// The interface name of an "ok" answer, or the helper's message as the error.
Result<std::string> parse_reply(std::string_view message);

// What the kernel accepts as an interface name and the helper ever creates: 1-15 characters of
// [a-z0-9], starting with a letter.
bool is_interface_name(std::string_view name);

}  // namespace nanbyo::tund
