// libFuzzer target: the request nanbyo-tund reads from the gateway and the answer the gateway
// reads back (issue 13). Whatever parses must encode back to exactly the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateway/tund/tun_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo::tund;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto request = parse_request(text)) {
    if (encode_request(*request) != text) std::abort();
  }
  if (auto name = parse_reply(text)) {
    if (!is_interface_name(*name) || encode_ok(*name) != text) std::abort();
  }
  return 0;
}
