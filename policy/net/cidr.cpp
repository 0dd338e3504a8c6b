#include "policy/net/cidr.h"

#include <charconv>
#include <cstdint>

namespace nanbyo::net {
namespace {

// True when the first `prefix` bits of a and b agree.
bool same_prefix(const IpAddress::Bytes16& a, const IpAddress::Bytes16& b, unsigned prefix) {
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
  IpAddress::Bytes16 bytes = address.bytes();
  for (unsigned bit = prefix; bit < address.width(); ++bit) {
    bytes[bit / 8] &= static_cast<unsigned char>(~(0x80 >> (bit % 8)));
  }
  if (address.is_v6()) return IpAddress::v6(bytes);
  return Ipv4Address(Ipv4Address::Bytes{bytes[0], bytes[1], bytes[2], bytes[3]});
}

}  // namespace

Result<Cidr> Cidr::make(const IpAddress& network, unsigned prefix) {
  if (prefix > network.width()) {
    return fail("prefix /" + std::to_string(prefix) + " is longer than " +
                std::to_string(network.width()) + " bits");
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
  std::string_view prefix_text = text.substr(slash + 1);
  NANBYO_TRY(address, IpAddress::parse(text.substr(0, slash)));
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
  return same_prefix(address.bytes(), network_.bytes(), prefix_);
}

bool Cidr::contains(const Cidr& inner) const {
  return inner.prefix_ >= prefix_ && contains(inner.network_);
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

}  // namespace nanbyo::net
