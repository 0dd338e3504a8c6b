#include "gateway/vpn/cidr.h"

#include <array>
#include <charconv>
#include <cstdint>

namespace nanbyo::vpn {
namespace {

using Bytes16 = std::array<unsigned char, 16>;

// The address as 16 bytes (IPv4 in the first four) and its bit width.
unsigned to_bits(const IpAddress& address, Bytes16& out) {
  out = {};
  if (address.is_v4()) {
    auto v4 = address.to_v4().to_bytes();
    std::copy(v4.begin(), v4.end(), out.begin());
    return 32;
  }
  out = address.to_v6().to_bytes();
  return 128;
}

// True when the first `prefix` bits of a and b agree.
bool same_prefix(const Bytes16& a, const Bytes16& b, unsigned prefix) {
  unsigned full = prefix / 8;
  for (unsigned i = 0; i < full; ++i) {
    if (a[i] != b[i]) return false;
  }
  unsigned rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

IpAddress masked(const IpAddress& address, unsigned prefix) {
  Bytes16 bytes;
  unsigned width = to_bits(address, bytes);
  for (unsigned bit = prefix; bit < width; ++bit) {
    bytes[bit / 8] &= static_cast<unsigned char>(~(0x80 >> (bit % 8)));
  }
  if (width == 32) return boost::asio::ip::address_v4({bytes[0], bytes[1], bytes[2], bytes[3]});
  return boost::asio::ip::address_v6(bytes);
}

}  // namespace

Result<Cidr> Cidr::make(const IpAddress& network, unsigned prefix) {
  unsigned width = network.is_v4() ? 32 : 128;
  if (prefix > width) {
    return fail("prefix /" + std::to_string(prefix) + " is longer than " + std::to_string(width) +
                " bits");
  }
  if (network.is_v6() && network.to_v6().scope_id() != 0) {
    return fail("a network cannot carry an IPv6 scope id");
  }
  IpAddress base = masked(network, prefix);
  if (base != network) {
    return fail(network.to_string() + "/" + std::to_string(prefix) +
                " has host bits set; did you mean " + base.to_string() + "/" +
                std::to_string(prefix) + "?");
  }
  return Cidr(network, prefix);
}

Result<Cidr> Cidr::parse(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return fail("network \"" + std::string(text) + "\" needs a prefix length, e.g. 10.0.0.0/24");
  }
  std::string_view address_text = text.substr(0, slash);
  std::string_view prefix_text = text.substr(slash + 1);
  boost::system::error_code ec;
  IpAddress address = boost::asio::ip::make_address(std::string(address_text), ec);
  if (ec || address_text.find('%') != std::string_view::npos) {
    return fail("\"" + std::string(address_text) + "\" is not an IP address");
  }
  unsigned prefix = 0;
  auto [end, err] =
      std::from_chars(prefix_text.data(), prefix_text.data() + prefix_text.size(), prefix);
  bool leading_zero = prefix_text.size() > 1 && prefix_text[0] == '0';
  if (prefix_text.empty() || err != std::errc() || end != prefix_text.data() + prefix_text.size() ||
      leading_zero) {
    return fail("\"" + std::string(prefix_text) + "\" is not a prefix length");
  }
  return make(address, prefix);
}

bool Cidr::contains(const IpAddress& address) const {
  if (address.is_v4() != network_.is_v4()) return false;
  Bytes16 a, b;
  to_bits(address, a);
  to_bits(network_, b);
  return same_prefix(a, b, prefix_);
}

Ipv4Address Cidr::netmask_v4() const {
  if (!network_.is_v4()) return Ipv4Address::any();
  std::uint32_t mask = prefix_ == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix_);
  return Ipv4Address(mask);
}

std::string Cidr::to_string() const {
  return network_.to_string() + "/" + std::to_string(prefix_);
}

std::string Cidr::to_mask_string() const {
  if (!network_.is_v4()) return to_string();
  return network_.to_string() + "/" + netmask_v4().to_string();
}

}  // namespace nanbyo::vpn
