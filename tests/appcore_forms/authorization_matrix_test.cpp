// Issue 12: every cell of (who, from where, relation) × action through the
// real facades, asserting allowed or refused and the audit record. Every
// Action of authorization.h must have a row in one of the tables below; a new
// action without one fails "every action has a row".
#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <set>

#include "appcore/core/authorization.h"
#include "authorization_world.h"
#include "form_cases.h"

using namespace nanbyo;
using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;
namespace ft = nanbyo::forms::testing;

namespace {

using World = AuthorizationWorld;
constexpr std::chrono::hours kPastGrant{24 * 31};

// What a call did: done, refused (Forbidden / NotFound), or let through and
// failed for another reason (e.g. an upload that is not a batch).
enum class Outcome { Done, Refused, OtherError };

template <typename T>
Outcome let_through(const Result<T>& r) {
  if (r) return Outcome::Done;
  Errc c = error_code(r.error());
  return c == Errc::Forbidden || c == Errc::NotFound ? Outcome::Refused : Outcome::OtherError;
}

// The audit records appended since `from`.
std::vector<audit::AuditEvent> since(World& w, std::size_t from) {
  auto all = w.audit.events();
  return {all.begin() + static_cast<std::ptrdiff_t>(std::min(from, all.size())), all.end()};
}

bool has_record(const std::vector<audit::AuditEvent>& events, std::string_view event,
                audit::Outcome outcome) {
  for (const auto& e : events)
    if (e.event == event && e.outcome == outcome) return true;
  return false;
}

bool has_allow(const std::vector<audit::AuditEvent>& events) {
  for (const auto& e : events)
    if (e.outcome == audit::Outcome::Allow) return true;
  return false;
}

// Runs one cell and checks outcome and audit record.
template <typename Call>
void check_cell(World& w, Action action, const std::string& column, bool expected, Call call) {
  const std::size_t before = w.audit.events().size();
  const Outcome outcome = call();
  auto records = since(w, before);
  INFO("action " << audit_event(action) << ", column " << column);
  CHECK((outcome != Outcome::Refused) == expected);
  if (outcome == Outcome::Done) CHECK(has_allow(records));
  if (!expected) CHECK(has_record(records, audit_event(action), audit::Outcome::Deny));
}

std::set<Action>& covered() {
  static std::set<Action> actions;
  return actions;
}

// ---- forms: who acts, from which PC, on whose form, with which grant ----

enum class Grant { None, Fresh, Expired };

struct FormColumn {
  const char* name;
  std::function<Principal(World&)> actor;
  const char* form_hospital;
  Grant grant = Grant::None;
  bool remove_affiliation_first = false;  // D1's 兼務先 H2 ends while he sits at its PC
};

const std::vector<FormColumn>& form_columns() {
  static const std::vector<FormColumn> columns{
      {"clerk/own", [](World& w) { return w.c1; }, kH1},
      {"clerk/affiliation-of-doctor", [](World& w) { return w.c1; }, kH2},
      {"clerk/other", [](World& w) { return w.c1; }, kH3},
      {"clerk/grant", [](World& w) { return w.c1; }, kH3, Grant::Fresh},
      {"clerk/expired-grant", [](World& w) { return w.c1; }, kH3, Grant::Expired},
      {"doctor/own", [](World& w) { return w.d1; }, kH1},
      {"doctor/affiliation-at-its-pc", [](World& w) { return w.d1_at(kH2); }, kH2},
      {"doctor/affiliation-from-main-pc", [](World& w) { return w.d1; }, kH2},
      {"doctor/other", [](World& w) { return w.d1; }, kH3},
      {"doctor/grant", [](World& w) { return w.d1; }, kH3, Grant::Fresh},
      {"doctor/expired-grant", [](World& w) { return w.d1; }, kH3, Grant::Expired},
      {"doctor/own-from-removed-affiliation-pc", [](World& w) { return w.d1_at(kH2); }, kH1,
       Grant::None, true},
      {"hospital-admin-user/own", [](World& w) { return w.h1; }, kH1},
      {"municipality/grant", [](World& w) { return w.town; }, kH3, Grant::Fresh},
      {"municipality/no-grant", [](World& w) { return w.town; }, kH3},
      {"operator/any", [](World& w) { return w.op; }, kH1},
      {"auditor/any", [](World& w) { return w.auditor; }, kH1},
  };
  return columns;
}

// One row per form action: Y allowed, N refused, one letter per column above.
const std::map<Action, std::string>& form_rows() {
  //                                    clerk  doctor  H mu oa
  static const std::map<Action, std::string> rows{
      {Action::FormView, /*         */ "YNNYN"
                                       "YYYNYNN"
                                       "N"
                                       "YN"
                                       "NN"},
      {Action::FormExport, /*       */ "YNNYN"
                                       "YYYNYNN"
                                       "N"
                                       "YN"
                                       "NN"},
      {Action::FormCarryOver, /*    */ "YNNYN"
                                       "YYYNYNN"
                                       "N"
                                       "NN"
                                       "NN"},
      {Action::FormEditDraft, /*    */ "YNNNN"
                                       "YYYNNNN"
                                       "N"
                                       "NN"
                                       "NN"},
      {Action::FormComment, /*      */ "YNNNN"
                                       "YYYNNNN"
                                       "N"
                                       "NN"
                                       "NN"},
      {Action::FormHistory, /*      */ "YNNNN"
                                       "YYYNNNN"
                                       "N"
                                       "NN"
                                       "NN"},
      {Action::FormSubmit, /*       */ "YNNNN"
                                       "YYYNNNN"
                                       "N"
                                       "NN"
                                       "NN"},
      {Action::FormPullBack, /*     */ "YNNNN"
                                       "YYYNNNN"
                                       "N"
                                       "NN"
                                       "NN"},
      {Action::FormDiff, /*         */ "YNNNN"
                                       "YYYNNNN"
                                       "N"
                                       "NN"
                                       "NN"},
      {Action::FormApprove, /*      */ "NNNNN"
                                       "YYYNNNN"
                                       "N"
                                       "NN"
                                       "NN"},
      {Action::FormBulkApprove, /*  */ "NNNNN"
                                       "YYYNNNN"
                                       "N"
                                       "NN"
                                       "NN"},
      {Action::FormCancel, /*       */ "NNNNN"
                                       "YYYNNNN"
                                       "N"
                                       "NN"
                                       "NN"},
      {Action::FormPrint, /*        */ "YNNNN"
                                       "YYYNNNN"
                                       "N"
                                       "YN"
                                       "NN"},
      {Action::FormCertify, /*      */ "NNNNN"
                                       "NNNNNNN"
                                       "N"
                                       "YN"
                                       "NN"},
  };
  return rows;
}

// The state the action needs when it is allowed.
std::string state_for(Action a) {
  switch (a) {
    case Action::FormEditDraft:
    case Action::FormSubmit:
    case Action::FormApprove:
    case Action::FormBulkApprove:
      return "draft";
    case Action::FormPullBack:
      return "submitted";
    default:
      return "registered";
  }
}

Outcome run_form_action(World& w, Action a, const Principal& p, const FormSummary& f) {
  const std::string& id = f.form_id;
  switch (a) {
    case Action::FormView:
      return let_through(w.forms->get(p, id));
    case Action::FormExport:
      return let_through(w.forms->export_xml(p, id));
    case Action::FormCarryOver:
      return let_through(w.forms->carry_over(p, id));
    case Action::FormEditDraft:
      return let_through(w.forms->save_draft(p, id, "", ft::parkinson_definite()));
    case Action::FormComment:
      return let_through(w.forms->comment(p, id, "確認しました"));
    case Action::FormHistory:
      return let_through(w.forms->history(p, id));
    case Action::FormSubmit:
      return let_through(w.forms->submit(p, id, w.doctor_of(f.hospital), ""));
    case Action::FormPullBack:
      return let_through(w.forms->pull_back(p, id, ""));
    case Action::FormDiff:
      return let_through(w.forms->diff(p, id));
    case Action::FormApprove:
      return let_through(w.forms->approve(p, id));
    case Action::FormBulkApprove:
      return let_through(w.forms->approve_all(p, {id}).front().second);
    case Action::FormCancel:
      return let_through(w.forms->cancel(p, id, "誤登録"));
    case Action::FormPrint:
      return let_through(w.forms->print_view(p, id, false));
    case Action::FormCertify:
      return let_through(w.forms->record_municipality(p, id, {"approved", "yes", "一般", "", ""}));
    default:
      FAIL("no performer for " << audit_event(a));
      return Outcome::Refused;
  }
}

// ---- actions without a target ----

struct PlainColumn {
  const char* name;
  std::function<Principal(World&)> actor;
};

const std::vector<PlainColumn>& plain_columns() {
  static const std::vector<PlainColumn> columns{
      {"clerk", [](World& w) { return w.c1; }},
      {"doctor", [](World& w) { return w.d1; }},
      {"hospital-admin-user", [](World& w) { return w.h1; }},
      {"municipality", [](World& w) { return w.town; }},
      {"operator", [](World& w) { return w.op; }},
      {"auditor", [](World& w) { return w.auditor; }},
  };
  return columns;
}

const std::map<Action, std::string>& plain_rows() {
  static const std::map<Action, std::string> rows{
      {Action::FormCreate, "YYNNNN"},
      {Action::FormSearch, "YYNNNN"},
      {Action::FormUpload, "YYNNNN"},
      {Action::FormAccessKeyLookup, "YYNYNN"},
      {Action::FormPaperImport, "NNNYNN"},
      {Action::StaffCreate, "NNNNYN"},
      {Action::ClerkCreate, "NNYNNN"},
      {Action::HospitalAdminUserCreate, "NNYNNN"},
      {Action::HospitalUserList, "NNYNNN"},
      {Action::DoctorRegister, "NNNYNN"},
      {Action::HospitalRegister, "NNNYYN"},
      {Action::AffiliationRequest, "NYNNNN"},
      {Action::AffiliationRequestList, "NNYNNN"},
  };
  return rows;
}

Outcome run_plain_action(World& w, Action a, const Principal& p) {
  switch (a) {
    case Action::FormCreate:
      return let_through(w.forms->save_draft(p, "", "nanbyo-006", ft::parkinson_definite()));
    case Action::FormSearch:
      return let_through(w.forms->search(p, {}));
    case Action::FormUpload:
      return let_through(w.forms->import_batch(p, "not a batch"));
    case Action::FormAccessKeyLookup:
      return let_through(w.forms->find_by_access_key(p, "ABCD"));
    case Action::FormPaperImport:
      return let_through(w.forms->import_paper_xml(p, "scan.xml", "<broken"));
    case Action::StaffCreate:
      return let_through(w.core->create_staff_user(p, Role::SecurityAuditor, "新 監査", "", ""));
    case Action::ClerkCreate:
      return let_through(w.core->create_clerk(p, "新 事務", ""));
    case Action::HospitalAdminUserCreate:
      return let_through(w.core->create_hospital_admin_user(p, "新 責任者", ""));
    case Action::HospitalUserList:
      return let_through(w.core->hospital_users(p));
    case Action::DoctorRegister: {
      DoctorInput d{"新井 新", "",         "299999",     Role::NanbyoDoctor, kH1,      "",
                    "",        "神経内科", "2026-04-01", "2031-03-31",       "13-0999"};
      return let_through(w.core->register_doctor(p, d));
    }
    case Action::HospitalRegister:
      return let_through(
          w.core->register_hospital(p, Hospital{"1310000099", "新病院", "", "", ""}));
    case Action::AffiliationRequest:
      return let_through(w.core->request_affiliation(p, AffiliationRequest{kH3, "内科", true, ""}));
    case Action::AffiliationRequestList:
      return let_through(w.core->affiliation_requests_for_my_hospital(p));
    default:
      FAIL("no performer for " << audit_event(a));
      return Outcome::Refused;
  }
}

// ---- actions on a user ----

struct UserColumn {
  const char* name;
  std::function<Principal(World&)> actor;
  std::function<std::string(World&)> target;
};

const std::vector<UserColumn>& user_columns() {
  static const std::vector<UserColumn> columns{
      {"責任者 → own clerk", [](World& w) { return w.h1; }, [](World& w) { return w.c1.user_id; }},
      {"責任者 → own doctor", [](World& w) { return w.h1; }, [](World& w) { return w.d1_id; }},
      {"責任者 → other hospital's clerk", [](World& w) { return w.h1; },
       [](World& w) { return w.c3.user_id; }},
      {"責任者 → self", [](World& w) { return w.h1; }, [](World& w) { return w.h1.user_id; }},
      {"municipality → its doctor", [](World& w) { return w.town; },
       [](World& w) { return w.d1_id; }},
      {"other municipality → doctor", [](World& w) { return w.other_town; },
       [](World& w) { return w.d1_id; }},
      {"municipality → clerk", [](World& w) { return w.town; },
       [](World& w) { return w.c1.user_id; }},
      {"operator → municipal staff", [](World& w) { return w.op; },
       [](World& w) { return w.town.user_id; }},
      {"operator → doctor", [](World& w) { return w.op; }, [](World& w) { return w.d1_id; }},
      {"doctor (not 責任者) → clerk", [](World& w) { return w.d1; },
       [](World& w) { return w.c1.user_id; }},
      {"clerk → clerk of another hospital", [](World& w) { return w.c1; },
       [](World& w) { return w.c3.user_id; }},
  };
  return columns;
}

const std::map<Action, std::string>& user_rows() {
  static const std::map<Action, std::string> rows{
      {Action::UserView, /*          */ "YYNY"
                                        "YNN"
                                        "YN"
                                        "NN"},
      {Action::UserResetPassword, /* */ "YNNN"
                                        "YNN"
                                        "YN"
                                        "NN"},
      {Action::UserLock, /*          */ "YYNN"
                                        "YNN"
                                        "YN"
                                        "NN"},
      {Action::UserUnlock, /*        */ "YYNN"
                                        "YNN"
                                        "YN"
                                        "NN"},
      {Action::UserReissueKey, /*    */ "YYNN"
                                        "YNN"
                                        "NN"
                                        "NN"},
      {Action::UserDelete, /*        */ "YNNN"
                                        "NNN"
                                        "NN"
                                        "NN"},
      {Action::UserHandOverAdmin, /* */ "NYNN"
                                        "NNN"
                                        "NN"
                                        "NN"},
  };
  return rows;
}

Outcome run_user_action(World& w, Action a, const Principal& p, const std::string& t) {
  switch (a) {
    case Action::UserView:
      return let_through(w.core->user(p, t));
    case Action::UserResetPassword:
      return let_through(w.core->reset_password(p, t));
    case Action::UserLock:
      return let_through(w.core->set_locked(p, t, true));
    case Action::UserUnlock:
      return let_through(w.core->set_locked(p, t, false));
    case Action::UserReissueKey:
      return let_through(w.core->reissue_key(p, t));
    case Action::UserDelete:
      return let_through(w.core->delete_user(p, t));
    case Action::UserHandOverAdmin:
      return let_through(w.core->hand_over_administration(p, t));
    default:
      FAIL("no performer for " << audit_event(a));
      return Outcome::Refused;
  }
}

// ---- designations and hospitals: the municipality that made them ----

const std::vector<PlainColumn>& owner_columns() {
  static const std::vector<PlainColumn> columns{
      {"the municipality that made it", [](World& w) { return w.town; }},
      {"another municipality", [](World& w) { return w.other_town; }},
      {"operator", [](World& w) { return w.op; }},
      {"the doctor", [](World& w) { return w.d1; }},
  };
  return columns;
}

const std::map<Action, std::string>& owner_rows() {
  static const std::map<Action, std::string> rows{
      {Action::DesignationNotice, "YNNN"},
      {Action::DesignationExtend, "YNNN"},
      {Action::DesignationEnd, "YNNN"},
      {Action::HospitalEdit, "YNYN"},  // H1 was registered by the municipality with D1
  };
  return rows;
}

Outcome run_owner_action(World& w, Action a, const Principal& p) {
  const std::string designation = w.designation_of(w.d1_id);
  switch (a) {
    case Action::DesignationNotice:
      return let_through(w.core->designation_notice(p, designation));
    case Action::DesignationExtend:
      return let_through(w.core->extend_designation(p, designation, "2032-03-31"));
    case Action::DesignationEnd:
      return let_through(w.core->end_designation(p, designation));
    case Action::HospitalEdit:
      return let_through(w.core->register_hospital(p, Hospital{kH1, "改名病院", "", "", ""}));
    default:
      FAIL("no performer for " << audit_event(a));
      return Outcome::Refused;
  }
}

// ---- 兼務先: D1's pending request for H3 ----

const std::vector<PlainColumn>& affiliation_columns() {
  static const std::vector<PlainColumn> columns{
      {"責任者 of the named hospital", [](World& w) { return w.d3; }},
      {"責任者 of another hospital", [](World& w) { return w.h1; }},
      {"clerk of the named hospital", [](World& w) { return w.c3; }},
      {"the doctor himself", [](World& w) { return w.d1; }},
      {"municipality", [](World& w) { return w.town; }},
  };
  return columns;
}

const std::map<Action, std::string>& affiliation_rows() {
  static const std::map<Action, std::string> rows{
      {Action::AffiliationApprove, "YNNNN"},
      {Action::AffiliationReject, "YNNNN"},
      {Action::AffiliationRemove, "YNNYN"},
  };
  return rows;
}

Outcome run_affiliation_action(World& w, Action a, const Principal& p) {
  w.request_affiliation(w.d1, kH3);
  switch (a) {
    case Action::AffiliationApprove:
      return let_through(
          w.core->decide_affiliation(p, w.d1_id, kH3, AffiliationDecision::Approve, ""));
    case Action::AffiliationReject:
      return let_through(
          w.core->decide_affiliation(p, w.d1_id, kH3, AffiliationDecision::Reject, "理由"));
    case Action::AffiliationRemove:
      return let_through(w.core->remove_affiliation(p, w.d1_id, kH3));
    default:
      FAIL("no performer for " << audit_event(a));
      return Outcome::Refused;
  }
}

template <typename Rows>
void note_covered(const Rows& rows) {
  for (const auto& [action, letters] : rows) covered().insert(action);
}

}  // namespace

TEST_CASE("authorization matrix: forms (role × relation × action)", "[unit][authorization]") {
  note_covered(form_rows());
  const auto& columns = form_columns();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const FormColumn& col = columns[c];
    World w;
    Principal p = col.actor(w);
    if (col.remove_affiliation_first) w.remove_affiliation(w.d1, kH2);
    for (const auto& [action, letters] : form_rows()) {
      REQUIRE(letters.size() == columns.size());
      const bool expected = letters[c] == 'Y';
      // A grant needs an access key: the form is registered, then looked up.
      const std::string state = col.grant == Grant::None ? state_for(action) : "registered";
      // A pull-back is tried on a form the actor sent whenever he may send it.
      const bool sends = form_rows().at(Action::FormSubmit)[c] == 'Y';
      FormSummary f = w.form_at(col.form_hospital, state,
                                action == Action::FormPullBack && sends ? &p : nullptr);
      if (col.grant != Grant::None) {
        must(w.forms->find_by_access_key(p, f.access_key));
        if (col.grant == Grant::Expired) w.clock.advance(kPastGrant);
      }
      check_cell(w, action, col.name, expected, [&] { return run_form_action(w, action, p, f); });
    }
  }
}

// Each cell in a world of its own: these actions change the users they act on.
template <typename Column, typename Run>
void walk_fresh(const std::map<Action, std::string>& rows, const std::vector<Column>& columns,
                Run run) {
  note_covered(rows);
  for (const auto& [action, letters] : rows) {
    REQUIRE(letters.size() == columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
      World w;
      check_cell(w, action, columns[c].name, letters[c] == 'Y',
                 [&] { return run(w, action, columns[c]); });
    }
  }
}

TEST_CASE("authorization matrix: actions without a target", "[unit][authorization]") {
  walk_fresh(plain_rows(), plain_columns(), [](World& w, Action a, const PlainColumn& col) {
    return run_plain_action(w, a, col.actor(w));
  });
}

TEST_CASE("authorization matrix: actions on users", "[unit][authorization]") {
  walk_fresh(user_rows(), user_columns(), [](World& w, Action a, const UserColumn& col) {
    return run_user_action(w, a, col.actor(w), col.target(w));
  });
}

TEST_CASE("authorization matrix: designations and hospitals", "[unit][authorization]") {
  walk_fresh(owner_rows(), owner_columns(), [](World& w, Action a, const PlainColumn& col) {
    return run_owner_action(w, a, col.actor(w));
  });
}

TEST_CASE("authorization matrix: 兼務先 requests", "[unit][authorization]") {
  walk_fresh(affiliation_rows(), affiliation_columns(),
             [](World& w, Action a, const PlainColumn& col) {
               return run_affiliation_action(w, a, col.actor(w));
             });
}

TEST_CASE("authorization matrix: every action has a row", "[unit][authorization]") {
  // The tables register themselves; listing them here keeps this case
  // independent of the order Catch runs the others in.
  note_covered(form_rows());
  note_covered(plain_rows());
  note_covered(user_rows());
  note_covered(owner_rows());
  note_covered(affiliation_rows());
  for (int i = 0; i < static_cast<int>(Action::Count); ++i) {
    const auto a = static_cast<Action>(i);
    INFO("action " << audit_event(a) << " has no row in the authorization matrix");
    CHECK(covered().count(a) == 1);
  }
}

TEST_CASE("cancel: refused once the municipality has taken the form up", "[unit][authorization]") {
  World w;
  auto f = w.form_at(kH1, "registered");
  must(w.forms->find_by_access_key(w.town, f.access_key));
  auto r = w.forms->cancel(w.d1, f.form_id, "誤登録");
  CHECK(code_of(r) == Errc::Forbidden);
  CHECK(error_text(r.error()).find("municipality has taken up") != std::string_view::npos);
  CHECK(must(w.forms->get(w.d1, f.form_id)).summary.status == "registered");
  // A form no municipality holds is cancelled by its doctor.
  auto g = w.form_at(kH1, "registered");
  must(w.forms->cancel(w.d1, g.form_id, "誤登録"));
}

TEST_CASE("pull-back: only the sender, the doctor who received it cannot",
          "[unit][authorization]") {
  World w;
  auto f = w.form_at(kH1, "submitted");  // sent by the clerk to D1
  CHECK(code_of(w.forms->pull_back(w.d1, f.form_id, "")) == Errc::Forbidden);
  must(w.forms->pull_back(w.c1, f.form_id, "修正します"));
}

TEST_CASE("access-key grants expire and a new lookup renews them", "[unit][authorization]") {
  World w;
  auto f = w.form_at(kH3, "registered");
  must(w.forms->find_by_access_key(w.d1, f.access_key));
  w.clock.advance(std::chrono::hours(24 * 29));
  must(w.forms->get(w.d1, f.form_id));
  w.clock.advance(std::chrono::hours(24 * 2));
  CHECK(code_of(w.forms->get(w.d1, f.form_id)) == Errc::NotFound);
  CHECK(must(w.forms->search(w.d1, {})).empty());
  must(w.forms->find_by_access_key(w.d1, f.access_key));
  must(w.forms->get(w.d1, f.form_id));
}
