// libFuzzer target: a VICI packet body as charon's socket would hand it to the gateway
// (issue 16, S-10). Whatever parses must encode back to exactly the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateway/ipsec/vici_packet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo::ipsec;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (size >= kViciLengthBytes) (void)parse_length(body.substr(0, kViciLengthBytes));
  if (auto packet = parse_packet(body)) {
    auto encoded = encode_packet(*packet);
    if (!encoded || encoded->substr(kViciLengthBytes) != body) std::abort();
  }
  return 0;
}
