// Hand-built IPv4/IPv6 packets for the tests: correct lengths and checksums unless a test
// breaks them on purpose.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "policy/net/ip_address.h"

namespace nanbyo::vpn::testing {

using Bytes = std::vector<std::uint8_t>;

inline void put16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

inline Bytes tcp(std::uint16_t sport, std::uint16_t dport) {
  Bytes b(20, 0);
  put16(b, 0, sport);
  put16(b, 2, dport);
  b[12] = 5 << 4;  // data offset 5 words
  b[13] = 0x02;    // SYN
  return b;
}

inline Bytes udp(std::uint16_t sport, std::uint16_t dport, std::size_t data = 4) {
  Bytes b(8 + data, 0xab);
  put16(b, 0, sport);
  put16(b, 2, dport);
  put16(b, 4, static_cast<std::uint16_t>(b.size()));
  put16(b, 6, 0);
  return b;
}

inline Bytes icmp(std::uint8_t type) {
  Bytes b(8, 0);
  b[0] = type;
  return b;
}

inline void fix_checksum(Bytes& p) {
  std::size_t ihl = (p[0] & 0x0f) * 4u;
  put16(p, 10, 0);
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < ihl; i += 2) sum += (p[i] << 8) | p[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  put16(p, 10, static_cast<std::uint16_t>(~sum));
}

struct V4 {
  std::string source = "10.255.0.2";
  std::string destination = "192.0.2.10";
  std::uint8_t protocol = 6;
  std::size_t options = 0;     // bytes of IP options (multiple of 4)
  std::uint16_t fragment = 0;  // flags and offset field as on the wire
};

inline Bytes ipv4(const V4& h, const Bytes& payload) {
  Bytes p(20 + h.options, 0);
  p[0] = static_cast<std::uint8_t>(0x40 | ((20 + h.options) / 4));
  put16(p, 2, static_cast<std::uint16_t>(p.size() + payload.size()));
  put16(p, 6, h.fragment);
  p[8] = 64;
  p[9] = h.protocol;
  auto s = nanbyo::net::Ipv4Address::parse(h.source)->to_bytes();
  auto d = nanbyo::net::Ipv4Address::parse(h.destination)->to_bytes();
  std::copy(s.begin(), s.end(), p.begin() + 12);
  std::copy(d.begin(), d.end(), p.begin() + 16);
  p.insert(p.end(), payload.begin(), payload.end());
  fix_checksum(p);
  return p;
}

struct V6 {
  std::string source = "fd00::2";
  std::string destination = "fd00:1::10";
  std::uint8_t next = 6;
};

inline Bytes ipv6(const V6& h, const Bytes& payload) {
  Bytes p(40, 0);
  p[0] = 0x60;
  put16(p, 4, static_cast<std::uint16_t>(payload.size()));
  p[6] = h.next;
  p[7] = 64;
  auto s = nanbyo::net::IpAddress::parse(h.source)->bytes();
  auto d = nanbyo::net::IpAddress::parse(h.destination)->bytes();
  std::copy(s.begin(), s.end(), p.begin() + 8);
  std::copy(d.begin(), d.end(), p.begin() + 24);
  p.insert(p.end(), payload.begin(), payload.end());
  return p;
}

// An 8-byte IPv6 extension header (hop-by-hop, destination options, routing) before `rest`.
inline Bytes ext8(std::uint8_t next, const Bytes& rest, std::uint8_t third = 0) {
  Bytes b{next, 0, third, 0, 0, 0, 0, 0};
  b.insert(b.end(), rest.begin(), rest.end());
  return b;
}

inline Bytes fragment6(std::uint8_t next, std::uint16_t offset, bool more, const Bytes& rest) {
  Bytes b{next, 0, 0, 0, 0, 0, 0, 1};
  put16(b, 2, static_cast<std::uint16_t>(offset | (more ? 1 : 0)));
  b.insert(b.end(), rest.begin(), rest.end());
  return b;
}

}  // namespace nanbyo::vpn::testing
