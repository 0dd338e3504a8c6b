// Header inspection reads addresses, protocol, ports and ICMP type of hand-built packets and
// names the defect of each malformed one.
#include <catch2/catch.hpp>

#include "gateway/vpn/ip_packet.h"
#include "packet_builder.h"

using namespace nanbyo::vpn;
using namespace nanbyo::vpn::testing;

namespace {

PacketInfo ok(const Bytes& packet) {
  auto info = inspect_packet(packet);
  INFO((info ? std::string() : info.error().message));
  REQUIRE(info.ok());
  return *info;
}

std::string error_of(const Bytes& packet) {
  auto info = inspect_packet(packet);
  REQUIRE_FALSE(info.ok());
  return info.error().message;
}

}  // namespace

TEST_CASE("IPv4 TCP, UDP and ICMP packets yield addresses, ports and ICMP type", "[ip]") {
  auto t = ok(ipv4({}, tcp(40000, 443)));
  CHECK(t.version == 4);
  CHECK(t.source.to_string() == "10.255.0.2");
  CHECK(t.destination.to_string() == "192.0.2.10");
  CHECK(t.protocol == kProtoTcp);
  CHECK(t.header_length == 20);
  CHECK(*t.source_port == 40000);
  CHECK(*t.destination_port == 443);
  CHECK_FALSE(t.fragment);

  auto u = ok(ipv4({.protocol = kProtoUdp, .options = 8}, udp(5353, 53)));
  CHECK(u.header_length == 28);
  CHECK(*u.destination_port == 53);

  auto i = ok(ipv4({.protocol = kProtoIcmp}, icmp(8)));
  CHECK(*i.icmp_type == 8);
  CHECK_FALSE(i.destination_port.has_value());

  auto other = ok(ipv4({.protocol = 47}, Bytes(24, 0)));  // GRE: no ports
  CHECK(other.protocol == 47);
  CHECK_FALSE(other.destination_port.has_value());
}

TEST_CASE("IPv4 fragments: only the first carries ports", "[ip]") {
  Bytes first_payload = udp(5000, 53, 16);
  first_payload.resize(16);  // the rest of the datagram is in the next fragment
  auto first = ok(ipv4({.protocol = kProtoUdp, .fragment = 0x2000}, first_payload));
  CHECK(first.fragment);
  CHECK(first.first_fragment);
  CHECK(*first.destination_port == 53);

  auto later = ok(ipv4({.protocol = kProtoUdp, .fragment = 2}, Bytes(16, 0)));  // offset 16
  CHECK(later.fragment);
  CHECK_FALSE(later.first_fragment);
  CHECK_FALSE(later.destination_port.has_value());
}

TEST_CASE("malformed IPv4 packets are named precisely", "[ip]") {
  CHECK(error_of({}) == "empty packet");
  CHECK(error_of(Bytes{0x45, 0, 0}) == "truncated IPv4 header: 3 of 20 bytes");
  CHECK(error_of(Bytes(20, 0x50)) == "unknown IP version 5");

  Bytes short_ihl = ipv4({}, tcp(1, 2));
  short_ihl[0] = 0x44;
  CHECK(error_of(short_ihl) == "IPv4 header length 16 is below 20");

  Bytes long_ihl = ipv4({}, {});
  long_ihl[0] = 0x4f;
  CHECK(error_of(long_ihl) == "IPv4 header length 60 exceeds the 20-byte packet");

  Bytes truncated = ipv4({}, tcp(1, 2));
  truncated.resize(30);
  CHECK(error_of(truncated) == "IPv4 total length 40 does not match the 30-byte frame");

  Bytes padded = ipv4({}, tcp(1, 2));
  padded.push_back(0);
  CHECK(error_of(padded) == "IPv4 total length 40 does not match the 41-byte frame");

  Bytes bad_sum = ipv4({}, tcp(1, 2));
  bad_sum[8] = 1;  // TTL changed, checksum not
  CHECK(error_of(bad_sum) == "IPv4 header checksum mismatch");

  CHECK(error_of(ipv4({}, Bytes(12, 0))) == "truncated TCP header: 12 of 20 bytes");
  CHECK(error_of(ipv4({.protocol = kProtoUdp}, Bytes(4, 0))) ==
        "truncated UDP header: 4 of 8 bytes");
  CHECK(error_of(ipv4({.protocol = kProtoIcmp}, Bytes(4, 0))) ==
        "truncated ICMP header: 4 of 8 bytes");

  Bytes tiny = tcp(1, 2);
  tiny.resize(8);
  CHECK(error_of(ipv4({.fragment = 0x2000}, tiny)) ==
        "truncated TCP header: 8 of 20 bytes in the first fragment");
  CHECK(error_of(ipv4({.fragment = 1}, Bytes(16, 0))) ==
        "TCP fragment at offset 8 could overwrite the TCP header (RFC 1858)");
  CHECK(error_of(ipv4({.protocol = kProtoUdp, .fragment = 0x1fff}, Bytes(64, 0))) ==
        "IPv4 fragment at offset 65528 ends past 65535 bytes");

  Bytes bad_offset = tcp(1, 2);
  bad_offset[12] = 4 << 4;
  CHECK(error_of(ipv4({}, bad_offset)) == "TCP data offset 16 is below 20");
  Bytes long_tcp = tcp(1, 2);
  long_tcp[12] = 8 << 4;
  CHECK(error_of(ipv4({}, long_tcp)) == "TCP header of 32 bytes exceeds the 20 bytes left");

  Bytes bad_udp = udp(1, 2);
  put16(bad_udp, 4, 100);
  CHECK(error_of(ipv4({.protocol = kProtoUdp}, bad_udp)) ==
        "UDP length 100 does not match the 12 bytes after the IP header");
}

TEST_CASE("IPv6 packets with and without extension headers", "[ip]") {
  auto t = ok(ipv6({}, tcp(40000, 443)));
  CHECK(t.version == 6);
  CHECK(t.source.to_string() == "fd00::2");
  CHECK(t.destination.to_string() == "fd00:1::10");
  CHECK(*t.destination_port == 443);
  CHECK(t.header_length == 40);

  auto hop = ok(ipv6({.next = 0}, ext8(60, ext8(kProtoUdp, udp(1, 53)))));
  CHECK(hop.protocol == kProtoUdp);
  CHECK(hop.header_length == 56);
  CHECK(*hop.destination_port == 53);

  auto ping = ok(ipv6({.next = kProtoIcmpV6}, icmp(128)));
  CHECK(*ping.icmp_type == 128);

  Bytes first = tcp(1000, 22);
  auto frag1 = ok(ipv6({.next = 44}, fragment6(kProtoTcp, 0, true, first)));
  CHECK(frag1.fragment);
  CHECK(frag1.first_fragment);
  CHECK(*frag1.destination_port == 22);

  auto frag2 = ok(ipv6({.next = 44}, fragment6(kProtoTcp, 1232, false, Bytes(100, 0))));
  CHECK_FALSE(frag2.first_fragment);
  CHECK(frag2.protocol == kProtoTcp);
  CHECK_FALSE(frag2.destination_port.has_value());
}

TEST_CASE("malformed IPv6 packets are named precisely", "[ip]") {
  CHECK(error_of(Bytes(20, 0x60)) == "truncated IPv6 header: 20 of 40 bytes");
  Bytes wrong_length = ipv6({}, tcp(1, 2));
  wrong_length.push_back(0);
  CHECK(error_of(wrong_length) ==
        "IPv6 payload length 20 does not match the 21 bytes after the header");
  Bytes jumbo = ipv6({}, tcp(1, 2));
  put16(jumbo, 4, 0);
  CHECK(error_of(jumbo) == "IPv6 jumbograms are not supported");

  CHECK(error_of(ipv6({.next = 60}, ext8(0, tcp(1, 2)))) == "IPv6 hop-by-hop header is not first");
  CHECK(error_of(ipv6({.next = 43}, ext8(kProtoTcp, tcp(1, 2), 0))) ==
        "IPv6 routing header type 0 (RFC 5095)");
  CHECK(error_of(ipv6({.next = 60}, Bytes{6, 0, 0, 0})) == "truncated IPv6 extension header 60");
  CHECK(error_of(ipv6({.next = 60}, Bytes{6, 3, 0, 0, 0, 0, 0, 0})) ==
        "IPv6 extension header 60 of 32 bytes exceeds the packet");
  CHECK(error_of(ipv6({.next = 44}, fragment6(44, 0, true, fragment6(6, 0, true, tcp(1, 2))))) ==
        "more than one IPv6 fragment header");

  Bytes chain = tcp(1, 2);
  for (int i = 0; i < 9; ++i) chain = ext8(i == 0 ? kProtoTcp : 60, chain);
  CHECK(error_of(ipv6({.next = 60}, chain)) == "more than 8 IPv6 extension headers");

  Bytes tiny = tcp(1, 2);
  tiny.resize(10);
  CHECK(error_of(ipv6({.next = 44}, fragment6(kProtoTcp, 0, true, tiny))) ==
        "truncated TCP header: 10 of 20 bytes in the first fragment");
  CHECK(error_of(ipv6({.next = 44}, fragment6(kProtoUdp, 65528, false, Bytes(16, 0)))) ==
        "IPv6 fragment at offset 65528 ends past 65535 bytes");
}
