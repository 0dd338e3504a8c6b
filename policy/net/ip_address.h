// IPv4 and IPv6 addresses as plain values: parsed strictly, printed canonically. The one
// address type of the policy, the VPN (pool, packet policy, tunnel settings) and nanbyo-tund.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "pki/result.h"

namespace nanbyo::net {

class Ipv4Address {
 public:
  using Bytes = std::array<std::uint8_t, 4>;

  constexpr Ipv4Address() = default;  // 0.0.0.0
  constexpr explicit Ipv4Address(std::uint32_t host_order) : value_(host_order) {}
  explicit Ipv4Address(const Bytes& network_order);
  static constexpr Ipv4Address any() { return Ipv4Address(); }

  // Dotted decimal only ("192.0.2.1"): no leading zeros, no shorthand ("10.1"), nothing after.
  static Result<Ipv4Address> parse(std::string_view text);

  constexpr std::uint32_t to_uint() const { return value_; }
  Bytes to_bytes() const;
  std::string to_string() const;

  constexpr auto operator<=>(const Ipv4Address&) const = default;

 private:
  std::uint32_t value_ = 0;
};

class IpAddress {
 public:
  using Bytes16 = std::array<std::uint8_t, 16>;

  IpAddress() = default;      // 0.0.0.0
  IpAddress(Ipv4Address v4);  // NOLINT: an IPv4 address is an IP address
  static IpAddress v6(const Bytes16& network_order);

  // IPv4 dotted decimal or IPv6 text ("2001:db8::1", "::ffff:192.0.2.1"); no scope id.
  static Result<IpAddress> parse(std::string_view text);

  bool is_v4() const { return !v6_; }
  bool is_v6() const { return v6_; }
  Ipv4Address to_v4() const;  // 0.0.0.0 for an IPv6 address
  // The address in network order, IPv4 in the first four bytes: what prefix matching needs.
  const Bytes16& bytes() const { return bytes_; }
  unsigned width() const { return v6_ ? 128 : 32; }
  std::string to_string() const;

  bool operator==(const IpAddress&) const = default;

 private:
  bool v6_ = false;
  Bytes16 bytes_{};
};

}  // namespace nanbyo::net
