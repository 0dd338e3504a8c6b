// What the packet policy (S-6) needs from an IP packet a VPN client sends: addresses,
// protocol, ports and ICMP type, after sanity checks of the headers. Reads the packet in
// place; allocates only for the message of a malformed one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "pki/result.h"
#include "policy/net/cidr.h"

namespace nanbyo::vpn {

inline constexpr std::uint8_t kProtoIcmp = 1;
inline constexpr std::uint8_t kProtoTcp = 6;
inline constexpr std::uint8_t kProtoUdp = 17;
inline constexpr std::uint8_t kProtoIcmpV6 = 58;
// Beyond this many IPv6 extension headers a packet is refused (no legitimate one comes close).
inline constexpr unsigned kMaxIpv6ExtensionHeaders = 8;

struct PacketInfo {
  unsigned version = 0;  // 4 or 6
  net::IpAddress source;
  net::IpAddress destination;
  // IPv4 protocol; for IPv6 the header after the extension headers (for a non-first
  // fragment: the fragment header's next header).
  std::uint8_t protocol = 0;
  std::size_t header_length = 0;  // IPv4 IHL * 4; IPv6 40 plus the extension headers read
  bool fragment = false;          // part of a fragmented datagram
  bool first_fragment = true;     // offset 0 (also true when not fragmented)
  // First fragment only (a later fragment carries no transport header):
  std::optional<std::uint16_t> source_port;       // TCP, UDP
  std::optional<std::uint16_t> destination_port;  // TCP, UDP
  std::optional<std::uint8_t> icmp_type;          // ICMP, ICMPv6
  std::uint8_t tcp_flags = 0;                     // TCP: SYN 0x02, ACK 0x10, ...
};

// Checks, with a precise message for each failure: version; IPv4 header length and
// checksum; the total (IPv4) or payload (IPv6) length equals the frame exactly; fragment
// offsets stay inside 65535 bytes; a first fragment holds the whole TCP/UDP/ICMP header and a
// TCP fragment does not start at offset 8 (RFC 1858 tiny and overlapping fragments); IPv6
// extension headers fit, hop-by-hop comes first, one fragment header, no routing type 0
// (RFC 5095), no jumbograms; TCP data offset and UDP length agree with the packet.
Result<PacketInfo> inspect_packet(std::span<const std::uint8_t> packet);

}  // namespace nanbyo::vpn
