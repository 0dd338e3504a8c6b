#include "policy/net/port_range.h"

#include <algorithm>
#include <charconv>

namespace nanbyo::net {
namespace {

// 1-65535 in plain digits, or -1.
long port(std::string_view t) {
  if (t.empty() || t.size() > 5 ||
      !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return -1;
  long value = 0;
  std::from_chars(t.data(), t.data() + t.size(), value);
  return value >= 1 && value <= 65535 ? value : -1;
}

}  // namespace

Result<PortRange> PortRange::parse(std::string_view text) {
  const auto dash = text.find('-');
  const long first = port(text.substr(0, dash));
  const long last = dash == std::string_view::npos ? first : port(text.substr(dash + 1));
  if (first < 0 || last < 0 || first > last)
    return fail("expected a port (1-65535) or a range \"first-last\"");
  return PortRange{static_cast<std::uint16_t>(first), static_cast<std::uint16_t>(last)};
}

}  // namespace nanbyo::net
