// The tunnel request `CONNECT /CSCOSSLC/tunnel` of an OpenConnect client and the header set
// of our `200 CONNECTED` answer (draft-mavrogiannopoulos-openconnect section 2.1.3).
//
// DTLS is not offered: the answer carries no X-DTLS-* header, so openconnect finds no DTLS
// session id, disables DTLS and keeps every packet on this TLS stream. That is the same path
// as `openconnect --no-dtls`, and the client's X-DTLS-* offers are simply ignored.
// Compression is never agreed either: no X-CSTP-Content-Encoding in the answer.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "pki/result.h"
#include "policy/net/cidr.h"

namespace nanbyo::vpn {

inline constexpr unsigned kMinTunnelMtu = 576;   // IPv4's minimum reassembly size
inline constexpr unsigned kMaxTunnelMtu = 9000;  // jumbo frames; stays under the frame cap
// What one CSTP frame adds on the link: its 8-byte header plus the largest TLS record overhead
// we may run (TLS 1.2 AES-GCM: 5 header + 8 explicit nonce + 16 tag).
inline constexpr unsigned kCstpTlsOverhead = 8 + 29;

struct TunnelRequest {
  std::string hostname;              // X-CSTP-Hostname (may be empty)
  std::optional<unsigned> base_mtu;  // X-CSTP-Base-MTU: the client's link MTU
  std::optional<unsigned> mtu;       // X-CSTP-MTU: the tunnel MTU it proposes
  bool ipv4 = true;                  // X-CSTP-Address-Type (absent: IPv4)
  bool ipv6 = false;
  std::vector<std::string> accept_encoding;  // X-CSTP-Accept-Encoding, for the log only
  bool dtls_offered = false;                 // some X-DTLS-* header came (ignored)
};

// Validates: X-CSTP-Version is "1"; hostname printable, at most 255 bytes; MTUs decimal in
// [576, 65535]; Address-Type a comma list of IPv4/IPv6 that includes IPv4 (the pool is
// IPv4: an IPv6-only client cannot be served, answer 503); no header of ours twice.
Result<TunnelRequest> parse_tunnel_request(const boost::beast::http::fields& headers);

// Immutable, from the policy snapshot.
struct TunnelSettings {
  unsigned max_mtu = 1400;
  std::vector<net::Ipv4Address> dns;  // X-CSTP-DNS, in order
  std::string default_domain;         // X-CSTP-Default-Domain when not empty
  // X-CSTP-Split-Include routes (IPv4). Empty: none is sent, and the client routes all its
  // IPv4 traffic into the tunnel (vpnc-script sets the default route: the full tunnel, S-6).
  std::vector<net::Cidr> split_include;
  // Full tunnel: a client that takes IPv6 gets an address (capture_address_v6) and no IPv6
  // route, so vpnc-script makes the tunnel its IPv6 default route too, and the gateway, which
  // passes no IPv6, drops it all. Without it a PC's IPv6 would leave around the tunnel (S-6).
  bool capture_ipv6 = false;
  std::chrono::seconds keepalive{20};
  std::chrono::seconds dpd{30};                      // the session drops a peer silent for 3 x dpd
  std::optional<std::chrono::seconds> idle_timeout;  // "none" when empty
  std::optional<std::chrono::seconds> session_timeout;  // "none" when empty
};
// Refuses IPv6 or default (0.0.0.0/0) split-include routes, MTUs out of range and zero timers.
Result<void> check_tunnel_settings(const TunnelSettings& settings);

// min(server max, client X-CSTP-MTU, client base MTU - kCstpTlsOverhead), at least 576.
unsigned negotiate_mtu(const TunnelRequest& request, unsigned server_max_mtu);

struct TunnelGrant {
  net::Ipv4Address address;  // leased from the AddressPool
  net::Ipv4Address netmask;  // the pool's
  unsigned mtu = 0;          // negotiate_mtu(); also the CstpFrameParser's max_payload
  std::optional<net::IpAddress> address_v6;  // X-CSTP-Address-IP6 (capture_ipv6)
};

// The IPv6 address a full tunnel gives with its IPv4 lease: the unique local prefix
// fd4e:616e:6279::/64 with the IPv4 address as the last 32 bits, so it is as unique as the
// lease. Nothing is ever routed to it; it exists so that the client routes IPv6 in.
net::IpAddress capture_address_v6(net::Ipv4Address lease);
inline constexpr unsigned kCaptureV6PrefixLength = 64;
// Whether the tunnel's grant gets an IPv6 address: full tunnel and a client that takes IPv6.
bool captures_ipv6(const TunnelRequest& request, const TunnelSettings& settings);

// X-CSTP-Version, -Address, -Netmask, -Address-IP6 (addr/64, with address_v6), -DNS...,
// -Default-Domain, -Split-Include... (net/mask), -MTU, -Base-MTU (when the client sent one),
// -Keepalive, -DPD, -Idle-Timeout, -Session-Timeout, -Rekey-Method: none, in that order. "none":
// openconnect neither renegotiates nor reopens the tunnel; over TLS 1.3 the server renews keys with
// KeyUpdate.
boost::beast::http::fields tunnel_response_fields(const TunnelRequest& request,
                                                  const TunnelSettings& settings,
                                                  const TunnelGrant& grant);

}  // namespace nanbyo::vpn
