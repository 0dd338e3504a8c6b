// Designations of a doctor (ID-1, ID-5, ID-6, ID-9): one ID per person, one
// record per designation. A designation is made under one law (program) by one
// municipality, with its own 指定医番号 and expiry. Within one program a person
// holds at most one valid designation (難病指定医 and 協力難病指定医 exclude
// each other).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "appcore/core/role.h"
#include "appcore/forms/japan_date.h"

namespace nanbyo::appcore {

enum class Program {
  Nanbyo,  // 難病法: 難病指定医, 協力難病指定医 (臨床調査個人票)
  Shoman,  // 児童福祉法: 小慢指定医 (医療意見書)
};
std::string_view to_string(Program program);  // "nanbyo", "shoman"
std::optional<Program> program_from_string(std::string_view text);
std::string_view program_label(Program program);  // "難病法", "児童福祉法"
// The program of a doctor kind (NanbyoDoctor, CooperatingDoctor, PediatricDoctor).
Program program_of(Role kind);

// A designation as the facade shows it.
struct Designation {
  std::string id;  // decimal, stable
  std::string user_id;
  Program program = Program::Nanbyo;
  Role kind = Role::NanbyoDoctor;
  std::string municipality;       // 地方公共団体コード of the designating municipality
  std::string municipality_name;  // its name
  std::string hospital;           // 医療機関番号 of the hospital named in the designation
  std::string department;         // 診療科
  std::string doctor_number;      // 指定医番号
  std::string designated_on;      // 指定年月日 YYYY-MM-DD
  std::string expires_on;         // 指定有効期限 YYYY-MM-DD, "" for none
  bool ended = false;             // ended by the municipality (ID-6)
  std::string ended_on;           // YYYY-MM-DD
  bool valid = false;             // not ended and not expired today (JST)
};

// Designation dates are dates in Japan (appcore/forms/japan_date.h).
using forms::japan_date;

// The same designation of one municipality: the same kind, and no other
// 指定医番号 (an empty number on either side matches).
bool same_designation(Role kind_a, std::string_view number_a, Role kind_b,
                      std::string_view number_b);

// Not ended, and `today` (YYYY-MM-DD) is not after its expiry.
bool designation_valid(bool ended, const std::string& expires_on, const std::string& today);

}  // namespace nanbyo::appcore
