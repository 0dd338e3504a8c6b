#include "gateway/vpn/ip_packet.h"

#include <algorithm>
#include <array>
#include <string>

namespace nanbyo::vpn {
namespace {

using Bytes = std::span<const std::uint8_t>;

std::uint16_t be16(Bytes b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

std::string n(std::size_t value) {
  return std::to_string(value);
}

bool checksum_ok(Bytes header) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < header.size(); i += 2) sum += be16(header, i);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum == 0xffff;
}

const char* transport_name(std::uint8_t protocol) {
  switch (protocol) {
    case kProtoTcp:
      return "TCP";
    case kProtoUdp:
      return "UDP";
    case kProtoIcmp:
      return "ICMP";
    case kProtoIcmpV6:
      return "ICMPv6";
    default:
      return nullptr;
  }
}

std::size_t transport_minimum(std::uint8_t protocol) {
  switch (protocol) {
    case kProtoTcp:
      return 20;
    case kProtoUdp:
      return 8;
    case kProtoIcmp:
      return 8;
    case kProtoIcmpV6:
      return 4;
    default:
      return 0;
  }
}

// Ports or ICMP type from the transport header at `l4` (first fragment only).
Result<void> read_transport(PacketInfo& info, Bytes l4) {
  const char* name = transport_name(info.protocol);
  if (name == nullptr) return {};
  std::size_t minimum = transport_minimum(info.protocol);
  if (l4.size() < minimum) {
    return fail(std::string("truncated ") + name + " header: " + n(l4.size()) + " of " +
                n(minimum) + " bytes" + (info.fragment ? " in the first fragment" : ""));
  }
  if (info.protocol == kProtoIcmp || info.protocol == kProtoIcmpV6) {
    info.icmp_type = l4[0];
    return {};
  }
  info.source_port = be16(l4, 0);
  info.destination_port = be16(l4, 2);
  if (info.protocol == kProtoTcp) {
    info.tcp_flags = l4[13];
    std::size_t data_offset = (l4[12] >> 4) * 4u;
    if (data_offset < 20) return fail("TCP data offset " + n(data_offset) + " is below 20");
    if (!info.fragment && data_offset > l4.size()) {
      return fail("TCP header of " + n(data_offset) + " bytes exceeds the " + n(l4.size()) +
                  " bytes left");
    }
  } else if (!info.fragment && be16(l4, 4) != l4.size()) {
    return fail("UDP length " + n(be16(l4, 4)) + " does not match the " + n(l4.size()) +
                " bytes after the IP header");
  }
  return {};
}

Result<PacketInfo> inspect_v4(Bytes p) {
  PacketInfo info;
  info.version = 4;
  if (p.size() < 20) return fail("truncated IPv4 header: " + n(p.size()) + " of 20 bytes");
  std::size_t ihl = (p[0] & 0x0f) * 4u;
  if (ihl < 20) return fail("IPv4 header length " + n(ihl) + " is below 20");
  if (ihl > p.size()) {
    return fail("IPv4 header length " + n(ihl) + " exceeds the " + n(p.size()) + "-byte packet");
  }
  std::size_t total = be16(p, 2);
  if (total != p.size()) {
    return fail("IPv4 total length " + n(total) + " does not match the " + n(p.size()) +
                "-byte frame");
  }
  if (!checksum_ok(p.first(ihl))) return fail("IPv4 header checksum mismatch");
  info.header_length = ihl;
  info.protocol = p[9];
  info.source = net::Ipv4Address(net::Ipv4Address::Bytes{p[12], p[13], p[14], p[15]});
  info.destination = net::Ipv4Address(net::Ipv4Address::Bytes{p[16], p[17], p[18], p[19]});
  std::uint16_t frag = be16(p, 6);
  std::size_t offset = (frag & 0x1fff) * 8u;
  bool more = (frag & 0x2000) != 0;
  info.fragment = more || offset != 0;
  info.first_fragment = offset == 0;
  if (offset + (total - ihl) > 0xffff) {
    return fail("IPv4 fragment at offset " + n(offset) + " ends past 65535 bytes");
  }
  if (offset == 8 && info.protocol == kProtoTcp) {
    return fail("TCP fragment at offset 8 could overwrite the TCP header (RFC 1858)");
  }
  if (!info.first_fragment) return info;
  NANBYO_TRY_VOID(read_transport(info, p.subspan(ihl)));
  return info;
}

Result<PacketInfo> inspect_v6(Bytes p) {
  PacketInfo info;
  info.version = 6;
  if (p.size() < 40) return fail("truncated IPv6 header: " + n(p.size()) + " of 40 bytes");
  std::size_t payload = be16(p, 4);
  if (payload == 0 && p.size() > 40) return fail("IPv6 jumbograms are not supported");
  if (payload + 40 != p.size()) {
    return fail("IPv6 payload length " + n(payload) + " does not match the " + n(p.size() - 40) +
                " bytes after the header");
  }
  std::array<std::uint8_t, 16> src, dst;
  std::copy_n(p.begin() + 8, 16, src.begin());
  std::copy_n(p.begin() + 24, 16, dst.begin());
  info.source = net::IpAddress::v6(src);
  info.destination = net::IpAddress::v6(dst);

  std::uint8_t next = p[6];
  std::size_t at = 40;
  for (unsigned count = 0;; ++count) {
    bool extension = next == 0 || next == 43 || next == 44 || next == 51 || next == 60;
    if (!extension) break;
    if (count == kMaxIpv6ExtensionHeaders) {
      return fail("more than " + n(kMaxIpv6ExtensionHeaders) + " IPv6 extension headers");
    }
    if (next == 0 && count != 0) return fail("IPv6 hop-by-hop header is not first");
    if (p.size() - at < 8) return fail("truncated IPv6 extension header " + n(next));
    std::size_t length = next == 44 ? 8 : next == 51 ? (p[at + 1] + 2u) * 4 : (p[at + 1] + 1u) * 8;
    if (length > p.size() - at) {
      return fail("IPv6 extension header " + n(next) + " of " + n(length) +
                  " bytes exceeds the packet");
    }
    if (next == 43 && p[at + 2] == 0) return fail("IPv6 routing header type 0 (RFC 5095)");
    std::uint8_t following = p[at];
    if (next == 44) {
      if (info.fragment) return fail("more than one IPv6 fragment header");
      std::uint16_t frag = be16(p, at + 2);
      std::size_t offset = (frag & 0xfff8u);
      info.fragment = true;
      info.first_fragment = offset == 0;
      if (offset + (p.size() - at - 8) > 0xffff) {
        return fail("IPv6 fragment at offset " + n(offset) + " ends past 65535 bytes");
      }
      if (!info.first_fragment) {
        info.protocol = following;
        info.header_length = at + 8;
        return info;
      }
    }
    next = following;
    at += length;
  }
  info.protocol = next;
  info.header_length = at;
  NANBYO_TRY_VOID(read_transport(info, p.subspan(at)));
  return info;
}

}  // namespace

Result<PacketInfo> inspect_packet(std::span<const std::uint8_t> packet) {
  if (packet.empty()) return fail("empty packet");
  unsigned version = packet[0] >> 4;
  if (version == 4) return inspect_v4(packet);
  if (version == 6) return inspect_v6(packet);
  return fail("unknown IP version " + n(version));
}

}  // namespace nanbyo::vpn
