// Client text quoted in a message (it may reach X-Reason and the log).
#pragma once

#include <string>
#include <string_view>

namespace nanbyo::vpn {

// Printable ASCII only, at most 24 characters: a client cannot forge log lines or flood them.
inline std::string shown(std::string_view text) {
  std::string out;
  for (char ch : text.substr(0, 24)) out.push_back(ch >= 0x20 && ch < 0x7f ? ch : '?');
  return out;
}

}  // namespace nanbyo::vpn
