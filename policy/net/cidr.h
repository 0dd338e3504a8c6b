// An IPv4 or IPv6 network in CIDR form ("10.255.0.0/24", "fd00:1::/64"): the VPN's address
// pool, its packet allow-list and the split-include routes pushed to clients.
#pragma once

#include <string>
#include <string_view>

#include "pki/result.h"
#include "policy/net/ip_address.h"

namespace nanbyo::net {

class Cidr {
 public:
  // 0.0.0.0/32: a placeholder until a real network is assigned (it holds no usable address).
  Cidr() = default;

  // Strict: "a.b.c.d/n" or "v6/n", no scope id, no leading zeros in n, host bits zero
  // ("10.0.0.1/24" is refused and the message names 10.0.0.0/24).
  static Result<Cidr> parse(std::string_view text);
  static Result<Cidr> make(const IpAddress& network, unsigned prefix);

  const IpAddress& network() const { return network_; }
  unsigned prefix() const { return prefix_; }
  bool is_v4() const { return network_.is_v4(); }

  // False for an address of the other family.
  bool contains(const IpAddress& address) const;
  // Every address of `inner` is in this network (false across families).
  bool contains(const Cidr& inner) const;
  // IPv4 only (0.0.0.0 for IPv6): the dotted mask, e.g. 255.255.255.0.
  Ipv4Address netmask_v4() const;

  std::string to_string() const;       // "10.255.0.0/24"
  std::string to_mask_string() const;  // "10.255.0.0/255.255.255.0" (X-CSTP-Split-Include form)

  bool operator==(const Cidr& other) const = default;

 private:
  Cidr(IpAddress network, unsigned prefix) : network_(network), prefix_(prefix) {}

  IpAddress network_;
  unsigned prefix_ = 32;
};

}  // namespace nanbyo::net
