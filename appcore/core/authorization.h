// One rule set for every action of the application core (issue 12): who may do
// what to a form, a user, a designation or a hospital is decided here and
// nowhere else, from facts the callers gather (authorization_facts.h): the
// actor's role, main hospital, 責任者 status, municipality, the hospital of the
// PC certificate in use and the hospitals the actor works at (main, valid
// designations, approved 兼務先), and the target's facts (a form's hospital,
// status, sender, municipal link and the actor's access-key grant; a user's
// role and hospital; a designation's municipality; a hospital's owner).
//
// Pure: no storage, no clock. Callers audit every refusal under
// audit_event(action) and state checks (a registered form is not edited, ...)
// stay with the flows. The rules in words: docs/appcore-data.md "Authorization".
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "appcore/core/role.h"

namespace nanbyo::appcore {

enum class Action {
  // ---- forms (F-1 ... F-12) ----
  FormCreate,           // a new draft at the PC certificate's hospital
  FormSearch,           // search the forms of the hospitals one works at (F-12)
  FormUpload,           // a nanbyo-check batch (F-9)
  FormPaperImport,      // a municipality's scanned paper forms (F-11)
  FormAccessKeyLookup,  // find a form by its access key (F-7, F-8, F-10)
  FormView,
  FormEditDraft,
  FormComment,
  FormHistory,
  FormSubmit,
  FormPullBack,
  FormApprove,      // 登録 by a designated doctor
  FormBulkApprove,  // 一括承認: the same rule per form
  FormCancel,       // 解除
  FormExport,       // XML
  FormCarryOver,    // 更新登録 (F-5)
  FormDiff,
  FormPrint,
  FormCertify,  // the municipality records its result (F-10)
  // ---- users (ID-7) ----
  StaffCreate,              // operator: municipal administrators, operators, auditors
  ClerkCreate,              // 責任者
  HospitalAdminUserCreate,  // 責任者
  HospitalUserList,         // 責任者
  UserView,
  UserResetPassword,
  UserLock,
  UserUnlock,
  UserReissueKey,
  UserDelete,
  UserHandOverAdmin,  // 責任者 to another doctor or 責任者 user of the hospital
  // ---- doctors and designations (ID-1 ... ID-6) ----
  DoctorRegister,
  DesignationNotice,
  DesignationExtend,
  DesignationEnd,
  // ---- 兼務先 (ID-8): by consent of the named hospital's 責任者 ----
  AffiliationRequest,      // a doctor asks
  AffiliationRequestList,  // the 責任者 lists the requests naming his hospital
  AffiliationApprove,
  AffiliationReject,
  AffiliationRemove,  // the doctor, or the 責任者 of that hospital
  // ---- hospitals ----
  HospitalRegister,  // a hospital number not known yet
  HospitalEdit,      // name and address of a known hospital
  Count              // not an action: how many there are (tests walk every one)
};

// The audit event under which an action (and its refusal) is recorded.
std::string_view audit_event(Action action);

struct ActorFacts {
  std::string user_id;
  Role role = Role::Clerk;
  std::string hospital;           // main hospital, "" for staff
  std::string municipality;       // municipal administrators
  bool hospital_admin = false;    // 責任者 of the main hospital
  std::string terminal_hospital;  // 医療機関番号 of the PC certificate in use, "" if none
  std::vector<std::string> work_hospitals;  // main, valid designations', approved 兼務先
};

struct FormFacts {
  std::string hospital;              // the owning hospital, "" for a municipality's paper form
  std::string submitted_by;          // who sent a submitted form to its doctor
  bool municipality_linked = false;  // a municipality holds it (looked up or recorded)
  bool grant = false;                // the actor holds an unexpired access-key grant
};

struct UserFacts {  // the user acted on
  std::string user_id;
  Role role = Role::Clerk;
  std::string hospital;
  std::vector<std::string> designation_municipalities;  // of designations not ended
};

struct DesignationFacts {
  std::string municipality;
  bool ended = false;
};

struct AffiliationFacts {
  std::string doctor;    // user id of the doctor
  std::string hospital;  // the 兼務先
};

struct HospitalFacts {
  std::string owner_municipality;  // who registered it; "" for the operator's or unknown
};

using Target = std::variant<std::monostate, FormFacts, UserFacts, DesignationFacts,
                            AffiliationFacts, HospitalFacts>;

struct Decision {
  bool allowed = false;
  std::string reason;  // why not (English, safe to show); "" when allowed
  explicit operator bool() const { return allowed; }
};

// The one decision. An action given the wrong kind of target is refused.
Decision decide(const ActorFacts& actor, Action action, const Target& target = {});

}  // namespace nanbyo::appcore
