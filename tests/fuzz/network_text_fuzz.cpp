// libFuzzer target: the policy's address and network text (policy/net/, issue 14): every
// address, CIDR and port range of a policy file. Any text is refused or parsed; what
// parses prints canonically, and the canonical text parses back to the same value.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "policy/net/cidr.h"
#include "policy/net/port_range.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo::net;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto address = IpAddress::parse(text)) {
    auto again = IpAddress::parse(address->to_string());
    if (!again || !(*again == *address)) std::abort();
  }
  if (auto network = Cidr::parse(text)) {
    auto again = Cidr::parse(network->to_string());
    if (!again || !(*again == *network) || !network->contains(network->network())) std::abort();
  }
  if (auto ports = PortRange::parse(text)) {
    if (ports->first > ports->last) std::abort();
  }
  return 0;
}
