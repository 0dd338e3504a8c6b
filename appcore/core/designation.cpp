#include "appcore/core/designation.h"

#include <cstdio>

namespace nanbyo::appcore {

std::string_view to_string(Program program) {
  return program == Program::Shoman ? "shoman" : "nanbyo";
}

std::optional<Program> program_from_string(std::string_view text) {
  if (text == "nanbyo") return Program::Nanbyo;
  if (text == "shoman") return Program::Shoman;
  return std::nullopt;
}

std::string_view program_label(Program program) {
  return program == Program::Shoman ? "児童福祉法" : "難病法";
}

Program program_of(Role kind) {
  return kind == Role::PediatricDoctor ? Program::Shoman : Program::Nanbyo;
}

bool same_designation(Role kind_a, std::string_view number_a, Role kind_b,
                      std::string_view number_b) {
  return kind_a == kind_b && (number_a == number_b || number_a.empty() || number_b.empty());
}

bool designation_valid(bool ended, const std::string& expires_on, const std::string& today) {
  return !ended && (expires_on.empty() || today <= expires_on);
}

}  // namespace nanbyo::appcore
