// ASCII case helpers shared by the prefilter's files: the engine compares names and
// lower-cases values byte by byte, ignoring the locale.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace nanbyo::gw::prefilter {

inline char ascii_lower(char c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

inline std::string ascii_lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

inline bool ascii_iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

}  // namespace nanbyo::gw::prefilter
