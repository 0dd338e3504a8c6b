#include "pki/revocation_reason.h"

#include <array>
#include <utility>

namespace nanbyo::pki {
namespace {

// certificateHold (6) is absent on purpose: revocation here is final.
constexpr std::array<std::pair<std::string_view, int>, 7> kReasons{{
    {"unspecified", 0},
    {"key-compromise", 1},
    {"ca-compromise", 2},
    {"affiliation-changed", 3},
    {"superseded", 4},
    {"cessation-of-operation", 5},
    {"privilege-withdrawn", 9},
}};

}  // namespace

Result<int> parse_revocation_reason(std::string_view name) {
  for (const auto& [text, code] : kReasons) {
    if (text == name) return code;
  }
  std::string known;
  for (const auto& [text, code] : kReasons)
    known += (known.empty() ? "" : ", ") + std::string(text);
  return fail("unknown revocation reason '" + std::string(name) + "' (use one of: " + known + ")");
}

std::string revocation_reason_name(int code) {
  for (const auto& [text, c] : kReasons) {
    if (c == code) return std::string(text);
  }
  return "unspecified";
}

}  // namespace nanbyo::pki
