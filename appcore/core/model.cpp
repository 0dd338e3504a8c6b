#include "appcore/core/model.h"

#include <array>
#include <utility>

#include "appcore/core/app_core.h"
#include "appcore/core/import_report.h"

namespace nanbyo::appcore {
namespace {

struct RoleInfo {
  Role role;
  std::string_view name;
  char prefix;
};

constexpr std::array<RoleInfo, 8> kRoles{{
    {Role::NanbyoDoctor, "nanbyo-doctor", 'A'},
    {Role::CooperatingDoctor, "cooperating-doctor", 'B'},
    {Role::Clerk, "clerk", 'C'},
    {Role::PediatricDoctor, "pediatric-doctor", 'D'},
    {Role::HospitalAdmin, "hospital-admin", 'H'},
    {Role::MunicipalAdmin, "municipal-admin", 'M'},
    {Role::Operator, "operator", 'O'},
    {Role::SecurityAuditor, "security-auditor", 'S'},
}};

}  // namespace

std::string_view to_string(Role role) {
  for (const auto& r : kRoles)
    if (r.role == role) return r.name;
  return "clerk";
}

std::optional<Role> role_from_string(std::string_view text) {
  for (const auto& r : kRoles)
    if (r.name == text) return r.role;
  return std::nullopt;
}

char id_prefix(Role role) {
  for (const auto& r : kRoles)
    if (r.role == role) return r.prefix;
  return 'C';
}

bool is_doctor(Role role) {
  return role == Role::NanbyoDoctor || role == Role::CooperatingDoctor ||
         role == Role::PediatricDoctor;
}

bool is_hospital_role(Role role) {
  return is_doctor(role) || role == Role::Clerk || role == Role::HospitalAdmin;
}

std::string_view to_string(SetupStep step) {
  switch (step) {
    case SetupStep::None:
      return "active";
    case SetupStep::RegisterEmail:
      return "register-email";
    case SetupStep::IssueKey:
      return "issue-key";
    case SetupStep::SetPassword:
      return "set-password";
  }
  return "active";
}

std::string_view to_string(RegistrationStatus status) {
  switch (status) {
    case RegistrationStatus::Issued:
      return "issued";
    case RegistrationStatus::DesignationAdded:
      return "designation-added";
    case RegistrationStatus::AlreadyRegistered:
      return "already-registered";
  }
  return "already-registered";
}

std::string_view to_string(RowStatus status) {
  switch (status) {
    case RowStatus::Issued:
      return "issued";
    case RowStatus::DesignationAdded:
      return "designation-added";
    case RowStatus::AlreadyRegistered:
      return "already-registered";
    case RowStatus::Invalid:
      return "invalid";
  }
  return "invalid";
}

}  // namespace nanbyo::appcore
