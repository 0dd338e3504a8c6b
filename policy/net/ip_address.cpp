#include "policy/net/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>

namespace nanbyo::net {
namespace {

// inet_pton reads a C string: text with a NUL inside, or longer than any address, is not one.
bool pton(int family, std::string_view text, void* out) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN || text.find('\0') != text.npos) return false;
  const std::string copy(text);
  return inet_pton(family, copy.c_str(), out) == 1;
}

std::string ntop(int family, const void* raw) {
  char out[INET6_ADDRSTRLEN];
  return inet_ntop(family, raw, out, sizeof out) ? out : "";
}

}  // namespace

Ipv4Address::Ipv4Address(const Bytes& b)
    : value_(std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 |
             std::uint32_t{b[3]}) {}

Result<Ipv4Address> Ipv4Address::parse(std::string_view text) {
  Bytes raw;
  if (!pton(AF_INET, text, raw.data()))
    return fail("\"" + std::string(text) + "\" is not an IPv4 address");
  return Ipv4Address(raw);
}

Ipv4Address::Bytes Ipv4Address::to_bytes() const {
  return {static_cast<std::uint8_t>(value_ >> 24), static_cast<std::uint8_t>(value_ >> 16),
          static_cast<std::uint8_t>(value_ >> 8), static_cast<std::uint8_t>(value_)};
}

std::string Ipv4Address::to_string() const {
  const Bytes raw = to_bytes();
  return ntop(AF_INET, raw.data());
}

IpAddress::IpAddress(Ipv4Address v4) {
  const auto raw = v4.to_bytes();
  std::copy(raw.begin(), raw.end(), bytes_.begin());
}

IpAddress IpAddress::v6(const Bytes16& network_order) {
  IpAddress address;
  address.v6_ = true;
  address.bytes_ = network_order;
  return address;
}

Result<IpAddress> IpAddress::parse(std::string_view text) {
  if (auto v4 = Ipv4Address::parse(text)) return IpAddress(*v4);
  Bytes16 raw;
  if (!pton(AF_INET6, text, raw.data()))
    return fail("\"" + std::string(text) + "\" is not an IP address");
  return v6(raw);
}

Ipv4Address IpAddress::to_v4() const {
  if (v6_) return Ipv4Address::any();
  return Ipv4Address(Ipv4Address::Bytes{bytes_[0], bytes_[1], bytes_[2], bytes_[3]});
}

std::string IpAddress::to_string() const {
  return v6_ ? ntop(AF_INET6, bytes_.data()) : to_v4().to_string();
}

}  // namespace nanbyo::net
