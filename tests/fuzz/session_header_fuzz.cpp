// libFuzzer target: X-Nanbyo-Session as the gateway reads it from an upstream's response
// (gateway/contract/session_header.h, issue 14). Any value is refused or parsed; what
// parses formats back to the very same text (the format has one spelling).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateway/contract/session_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo::contract;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto claim = parse_session_header(text);
  if (!claim) return 0;
  if (claim->user.empty() || claim->issued < 0) std::abort();
  if (format_session_header(*claim) != text) std::abort();
  return 0;
}
