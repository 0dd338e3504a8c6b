// libFuzzer target: the IPS's state file as the gateway reads it at start
// (gateway/ips/block_store.h, issue 14). Any text is refused or parsed, never a time the
// clocks cannot hold; what parses has a stable text form.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "gateway/ips/block_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo::gw::ips;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const ClockPair now;
  auto blocks = parse_blocks(text, now);
  if (!blocks) return 0;
  for (const Block& b : *blocks) {
    if (b.subject.value.empty() || b.until <= now.steady) std::abort();
  }
  // The text form is stable: what parsed formats to a text that parses and formats the same.
  const std::string once = format_blocks(*blocks, now);
  auto again = parse_blocks(once, now);
  if (!again || again->size() != blocks->size() || format_blocks(*again, now) != once) std::abort();
  return 0;
}
