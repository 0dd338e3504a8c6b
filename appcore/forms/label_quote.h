// How messages of the check and the judgment quote an item's label: 「label」.
#pragma once

#include <string>

namespace nanbyo::forms {

inline std::string q(const std::string& label) {
  return "「" + label + "」";
}

}  // namespace nanbyo::forms
