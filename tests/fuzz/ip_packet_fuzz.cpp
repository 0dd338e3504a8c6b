// libFuzzer target: IP packets a VPN client puts in CSTP data frames, through the inspector
// and the packet policy.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "gateway/vpn/packet_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo::vpn;
  static const PacketPolicy policy = [] {
    std::vector<AllowRule> rules{
        {*nanbyo::net::Cidr::parse("192.0.2.0/24"), kProtoTcp, {{443, 443}}},
        {*nanbyo::net::Cidr::parse("fd00:1::/64"), std::nullopt, {}}};
    return std::move(PacketPolicy::create(std::move(rules))).value();
  }();
  static const nanbyo::net::IpAddress assigned = *nanbyo::net::IpAddress::parse("10.255.0.2");
  std::span<const std::uint8_t> packet(data, size);
  auto info = inspect_packet(packet);
  if (info && (info->header_length > size || (info->version != 4 && info->version != 6)))
    std::abort();
  auto decision = policy.evaluate(packet, assigned);
  if ((decision.verdict == Verdict::DropMalformed) == info.ok()) std::abort();
  return 0;
}
