// Roles of users and the letter of their ids (ID-7).
#pragma once

#include <optional>
#include <string_view>

namespace nanbyo::appcore {

// Roles and the first letter of their user ids ("A0000001": letter + 7 digits).
// A doctor's role is the kind of the designation the ID was issued for (its
// letter never changes); what a doctor may do is decided by the designations
// valid today (designation.h), not by the role.
enum class Role {
  NanbyoDoctor,       // 難病指定医            A
  CooperatingDoctor,  // 協力難病指定医        B
  Clerk,              // 医療クラーク等        C
  PediatricDoctor,    // 小慢指定医            D
  HospitalAdmin,      // 医療機関責任者 (a user who is not a doctor, e.g. IT) H
  MunicipalAdmin,     // 自治体の管理者        M
  Operator,           // 運用事業者            O
  SecurityAuditor,    // セキュリティ監査者    S
};

std::string_view to_string(Role role);  // "nanbyo-doctor", "clerk", ...
std::optional<Role> role_from_string(std::string_view text);
char id_prefix(Role role);
bool is_doctor(Role role);
// Roles that work at a hospital: login needs a PC certificate of that hospital or a 兼務先.
bool is_hospital_role(Role role);

}  // namespace nanbyo::appcore
