// The rule set of authorization.h. Each rule reads as the sentence in
// docs/appcore-data.md "Authorization"; the table-driven test
// (tests/appcore_forms/authorization_matrix_test.cpp) walks every action.
#include "appcore/core/authorization.h"

#include <algorithm>
#include <array>

namespace nanbyo::appcore {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(Action::Count)> kEvents{
    "form-create",         "form-search",
    "form-import",         "form-paper-import",
    "access-key-lookup",   "form-view",
    "form-save",           "form-comment",
    "form-history",        "form-submit",
    "form-pull-back",      "form-approve",
    "form-bulk-approve",   "form-cancel",
    "form-export",         "form-carry-over",
    "form-diff",           "form-print",
    "form-certify",        "staff-create",
    "clerk-create",        "hospital-admin-create",
    "hospital-user-list",  "user-view",
    "password-reset",      "account-lock",
    "account-unlock",      "user-key-reissue",
    "user-delete",         "hospital-admin-handover",
    "doctor-register",     "designation-notice",
    "validity-extend",     "doctor-transfer-out",
    "affiliation-request", "affiliation-request-list",
    "affiliation-approve", "affiliation-reject",
    "affiliation-remove",  "hospital-register",
    "hospital-edit",
};

static_assert(!kEvents.back().empty(), "every Action needs its audit event");

Decision allow() {
  return {true, ""};
}
Decision refuse(std::string reason) {
  return {false, std::move(reason)};
}

bool contains(const std::vector<std::string>& list, const std::string& v) {
  return !v.empty() && std::find(list.begin(), list.end(), v) != list.end();
}

// Clerks and designated doctors write and read forms; a 責任者 user who is not
// a doctor (often the IT person) manages users only and never sees a form.
bool form_worker(Role r) {
  return r == Role::Clerk || is_doctor(r);
}

// A hospital user acts only from a PC certificate of a hospital he works at.
bool at_own_terminal(const ActorFacts& a) {
  return is_hospital_role(a.role) && contains(a.work_hospitals, a.terminal_hospital);
}

// The actor works at the form's hospital and sits at one of his hospitals' PCs.
bool works_on(const ActorFacts& a, const FormFacts& f) {
  return form_worker(a.role) && at_own_terminal(a) && contains(a.work_hospitals, f.hospital);
}

// The 責任者 acting on his own hospital from one of its PCs.
bool admin_here(const ActorFacts& a) {
  return a.hospital_admin && !a.hospital.empty() && a.terminal_hospital == a.hospital;
}

const char* kNotYourHospital =
    "the form belongs to a hospital you do not work at, or this PC is not of one of your "
    "hospitals";

Decision form_rule(const ActorFacts& a, Action action, const FormFacts& f) {
  const bool mine = works_on(a, f);
  const bool granted_hospital = f.grant && form_worker(a.role) && at_own_terminal(a);
  const bool granted_town = f.grant && a.role == Role::MunicipalAdmin;
  switch (action) {
    case Action::FormView:
    case Action::FormExport:
      if (mine || granted_hospital || granted_town) return allow();
      return refuse(kNotYourHospital);
    case Action::FormCarryOver:
      // 更新登録 of a form found by its access key starts a draft at one's own hospital.
      if (mine || granted_hospital) return allow();
      return refuse(kNotYourHospital);
    case Action::FormPrint:
      if (mine || granted_town) return allow();
      return refuse(kNotYourHospital);
    case Action::FormHistory:
      // A municipality's own paper forms (F-11) belong to no hospital.
      if (mine || (granted_town && f.hospital.empty())) return allow();
      return refuse(kNotYourHospital);
    case Action::FormEditDraft:
    case Action::FormComment:
    case Action::FormSubmit:
    case Action::FormDiff:
      if (mine) return allow();
      return refuse(kNotYourHospital);
    case Action::FormPullBack:
      if (!mine) return refuse(kNotYourHospital);
      if (f.submitted_by != a.user_id) return refuse("only the sender pulls a form back");
      return allow();
    case Action::FormApprove:
    case Action::FormBulkApprove:
      if (!is_doctor(a.role)) return refuse("only designated doctors register forms");
      if (!mine) return refuse(kNotYourHospital);
      return allow();
    case Action::FormCancel:
      if (!is_doctor(a.role)) return refuse("only a doctor of the form's hospital cancels it");
      if (!mine) return refuse(kNotYourHospital);
      if (f.municipality_linked)
        return refuse("the municipality has taken up the form; ask it instead of cancelling");
      return allow();
    case Action::FormCertify:
      if (granted_town) return allow();
      return refuse("only a municipality that looked the form up by its access key records it");
    default:
      return refuse("not an action on a form");
  }
}

// 責任者: users of his own hospital, from its PCs. Municipality: doctors it
// designated. Operator: staff. Nobody acts on himself here.
bool manages(const ActorFacts& a, const UserFacts& t, bool doctors_too) {
  if (a.role == Role::MunicipalAdmin)
    return is_doctor(t.role) && contains(t.designation_municipalities, a.municipality);
  if (a.role == Role::Operator)
    return t.role == Role::MunicipalAdmin || t.role == Role::Operator ||
           t.role == Role::SecurityAuditor;
  if (!admin_here(a) || t.hospital != a.hospital || !is_hospital_role(t.role)) return false;
  return doctors_too || !is_doctor(t.role);
}

Decision user_rule(const ActorFacts& a, Action action, const UserFacts& t) {
  const char* out_of_scope = "this user is outside your scope";
  const bool self = a.user_id == t.user_id;
  switch (action) {
    case Action::UserView:
      return self || manages(a, t, true) ? allow() : refuse(out_of_scope);
    case Action::UserResetPassword:
      // A 責任者 (possibly the IT person) never resets a doctor: he could log
      // in as the doctor. The municipality does (it issued the ID).
      if (self) return refuse("change your own password on the password screen");
      if (is_doctor(t.role) && a.role != Role::MunicipalAdmin)
        return refuse("a doctor's password is reset by the designating municipality");
      return manages(a, t, false) ? allow() : refuse(out_of_scope);
    case Action::UserLock:
    case Action::UserUnlock:
      if (self) return refuse("you cannot lock or unlock yourself");
      return manages(a, t, true) ? allow() : refuse(out_of_scope);
    case Action::UserReissueKey:
      if (self || !is_hospital_role(t.role)) return refuse(out_of_scope);
      return manages(a, t, true) ? allow() : refuse(out_of_scope);
    case Action::UserDelete:
      if (self) return refuse("you cannot delete yourself");
      if (a.role != Role::MunicipalAdmin && a.role != Role::Operator && manages(a, t, false))
        return allow();
      return refuse(
          "the 責任者 deletes clerks and 責任者 users of the hospital; a doctor leaves through "
          "the municipality");
    case Action::UserHandOverAdmin:
      if (admin_here(a) && !self && t.hospital == a.hospital &&
          (is_doctor(t.role) || t.role == Role::HospitalAdmin))
        return allow();
      return refuse("the administrator must be a doctor or 責任者 user of this hospital");
    default:
      return refuse("not an action on a user");
  }
}

Decision designation_rule(const ActorFacts& a, Action action, const DesignationFacts& d) {
  switch (action) {
    case Action::DesignationNotice:
    case Action::DesignationExtend:
    case Action::DesignationEnd:
      if (a.role == Role::MunicipalAdmin && !a.municipality.empty() &&
          d.municipality == a.municipality && !d.ended)
        return allow();
      return refuse("no such designation of your municipality");
    default:
      return refuse("not an action on a designation");
  }
}

Decision affiliation_rule(const ActorFacts& a, Action action, const AffiliationFacts& f) {
  const bool hospital_admin = admin_here(a) && a.hospital == f.hospital;
  switch (action) {
    case Action::AffiliationApprove:
    case Action::AffiliationReject:
      if (hospital_admin) return allow();
      return refuse("only the administrator (責任者) of hospital " + f.hospital +
                    ", at one of its PCs, decides the 兼務先 requests naming it");
    case Action::AffiliationRemove:
      if (hospital_admin || (is_doctor(a.role) && a.user_id == f.doctor)) return allow();
      return refuse(
          "a 兼務先 is removed by its doctor or by the administrator (責任者) of hospital " +
          f.hospital);
    default:
      return refuse("not an action on a 兼務先");
  }
}

Decision hospital_rule(const ActorFacts& a, Action action, const HospitalFacts& h) {
  if (action != Action::HospitalEdit) return refuse("not an action on a known hospital");
  if (a.role == Role::Operator) return allow();
  if (a.role == Role::MunicipalAdmin && !a.municipality.empty() &&
      h.owner_municipality == a.municipality)
    return allow();
  return refuse(
      "the hospital was registered by another municipality; ask it or the operator to change "
      "it");
}

Decision untargeted_rule(const ActorFacts& a, Action action) {
  switch (action) {
    case Action::FormCreate:
    case Action::FormSearch:
    case Action::FormUpload:
      if (form_worker(a.role) && at_own_terminal(a)) return allow();
      return refuse(form_worker(a.role)
                        ? "this PC's certificate is not of a hospital you work at"
                        : "only clerks and designated doctors work on forms at a hospital");
    case Action::FormAccessKeyLookup:
      if ((form_worker(a.role) && at_own_terminal(a)) || a.role == Role::MunicipalAdmin)
        return allow();
      return refuse("only hospitals and municipalities look forms up by access key");
    case Action::FormPaperImport:
      if (a.role == Role::MunicipalAdmin) return allow();
      return refuse("only municipalities import paper forms");
    case Action::StaffCreate:
      if (a.role == Role::Operator) return allow();
      return refuse("only operators create staff users");
    case Action::ClerkCreate:
    case Action::HospitalAdminUserCreate:
    case Action::HospitalUserList:
      if (admin_here(a)) return allow();
      return refuse(
          "only the hospital's administrator (責任者), at one of its PCs, manages its users");
    case Action::AffiliationRequest:
      if (is_doctor(a.role)) return allow();
      return refuse("only designated doctors request 兼務先");
    case Action::AffiliationRequestList:
      if (admin_here(a)) return allow();
      return refuse(
          "only the hospital's administrator (責任者), at one of its PCs, sees the 兼務先 "
          "requests naming it");
    case Action::DoctorRegister:
      if (a.role == Role::MunicipalAdmin && !a.municipality.empty()) return allow();
      return refuse("only municipalities register designated doctors");
    case Action::HospitalRegister:
      if (a.role == Role::Operator || a.role == Role::MunicipalAdmin) return allow();
      return refuse("only operators and municipalities register hospitals");
    default:
      return refuse("this action needs its target");
  }
}

}  // namespace

std::string_view audit_event(Action action) {
  const auto i = static_cast<std::size_t>(action);
  return i < kEvents.size() ? kEvents[i] : std::string_view("unknown-action");
}

Decision decide(const ActorFacts& actor, Action action, const Target& target) {
  if (const auto* f = std::get_if<FormFacts>(&target)) return form_rule(actor, action, *f);
  if (const auto* u = std::get_if<UserFacts>(&target)) return user_rule(actor, action, *u);
  if (const auto* d = std::get_if<DesignationFacts>(&target))
    return designation_rule(actor, action, *d);
  if (const auto* f = std::get_if<AffiliationFacts>(&target))
    return affiliation_rule(actor, action, *f);
  if (const auto* h = std::get_if<HospitalFacts>(&target)) return hospital_rule(actor, action, *h);
  return untargeted_rule(actor, action);
}

}  // namespace nanbyo::appcore
