// ID-8 兼務先 by consent (issue 12): a doctor's request grants nothing until the
// 責任者 of the named hospital approves it; removal ends the access and the
// sessions opened from that hospital's PCs; every step is audited.
#include <catch2/catch.hpp>

#include <algorithm>

#include "appcore/core/store.h"
#include "appcore/core/work_hospitals.h"
#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;
using nanbyo::audit::Outcome;

namespace {

// Hospital A (kHospital) with doctor `doc`; hospital B (kOtherHospital) whose
// first doctor is its 責任者 `b_admin`.
struct TwoHospitals {
  CoreFixture f;
  IssuedCredential doc_cred = f.doctor("900");
  Principal doc = f.activate(doc_cred.user_id, doc_cred.initial_password, kHospital);
  IssuedCredential b_cred = f.doctor("901", kOtherHospital, "大阪 次郎", &f.other_town);
  Principal b_admin = f.activate(b_cred.user_id, b_cred.initial_password, kOtherHospital);

  bool logs_in_at(const std::string& hospital) {
    return f.core->login(doc_cred.user_id, kChosenPassword, Terminal{hospital, "pc-b"}).ok();
  }
  // The hospitals whose forms the doctor reaches (FormService decides by the same rule).
  std::vector<std::string> works_at() {
    auto store = must(open_sqlite_store(f.config.database));
    auto user = must(store->get_user(doc_cred.user_id));
    REQUIRE(user);
    return must(work_hospitals(*store, *user, "2026-09-21"));
  }
  bool works_at(const std::string& hospital) {
    auto list = works_at();
    return std::find(list.begin(), list.end(), hospital) != list.end();
  }
  Affiliation request(const std::string& hospital = kOtherHospital) {
    return must(f.core->request_affiliation(doc, {hospital, "神経内科", true, "06-1111-2222"}));
  }
};

}  // namespace

TEST_CASE("ID-8: a 兼務先 request grants nothing until the hospital's 責任者 approves") {
  TwoHospitals t;
  const auto before = t.works_at();
  auto asked = t.request();
  CHECK(asked.state == AffiliationState::Pending);
  CHECK(asked.hospital.number == kOtherHospital);
  CHECK(t.f.audited("affiliation-request", Outcome::Allow, t.doc_cred.user_id));

  CHECK_FALSE(t.logs_in_at(kOtherHospital));
  CHECK(t.works_at() == before);
  auto mine = must(t.f.core->my_affiliations(t.doc));
  REQUIRE(mine.size() == 1);
  CHECK(mine[0].state == AffiliationState::Pending);
  CHECK(mine[0].department == "神経内科");
  CHECK(mine[0].contact == "06-1111-2222");
  CHECK(mine[0].visible);

  // B's 責任者 sees the request with the doctor's name and approves it.
  auto pending = must(t.f.core->affiliation_requests_for_my_hospital(t.b_admin));
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].user_id == t.doc_cred.user_id);
  CHECK(pending[0].doctor_name == "山田 太郎");
  auto approved = must(t.f.core->decide_affiliation(t.b_admin, t.doc_cred.user_id, kOtherHospital,
                                                    AffiliationDecision::Approve));
  CHECK(approved.state == AffiliationState::Approved);
  CHECK(approved.decided_by == t.b_cred.user_id);
  CHECK(t.f.audited("affiliation-approve", Outcome::Allow, t.doc_cred.user_id));

  CHECK(t.logs_in_at(kOtherHospital));
  CHECK(t.works_at(kOtherHospital));
  CHECK(must(t.f.core->my_affiliations(t.doc)).at(0).state == AffiliationState::Approved);
  // Decided once: a second decision is a conflict.
  CHECK(code_of(t.f.core->decide_affiliation(t.b_admin, t.doc_cred.user_id, kOtherHospital,
                                             AffiliationDecision::Reject)) == Errc::Conflict);
}

TEST_CASE("ID-8: a rejected request grants nothing and may be asked again") {
  TwoHospitals t;
  t.request();
  auto rejected =
      must(t.f.core->decide_affiliation(t.b_admin, t.doc_cred.user_id, kOtherHospital,
                                        AffiliationDecision::Reject, "在籍がありません"));
  CHECK(rejected.state == AffiliationState::Rejected);
  CHECK(rejected.reason == "在籍がありません");
  CHECK(t.f.audited("affiliation-reject", Outcome::Allow, t.doc_cred.user_id));
  CHECK_FALSE(t.logs_in_at(kOtherHospital));
  CHECK_FALSE(t.works_at(kOtherHospital));
  CHECK(must(t.f.core->my_affiliations(t.doc)).at(0).reason == "在籍がありません");

  auto again = t.request();
  CHECK(again.state == AffiliationState::Pending);
  CHECK(again.reason.empty());
  // A pending (or approved) one cannot be asked twice.
  CHECK(code_of(t.f.core->request_affiliation(t.doc, {kOtherHospital, "", true, ""})) ==
        Errc::Conflict);
}

TEST_CASE("ID-8: only the 責任者 of that hospital decides, others get an audited refusal") {
  TwoHospitals t;
  t.request();
  // A's 責任者 (the doctor himself, first doctor of A) cannot decide for B.
  CHECK(code_of(t.f.core->decide_affiliation(t.doc, t.doc_cred.user_id, kOtherHospital,
                                             AffiliationDecision::Approve)) == Errc::Forbidden);
  CHECK(t.f.audited("affiliation-approve", Outcome::Deny, t.doc_cred.user_id));
  CHECK(code_of(t.f.core->affiliation_requests_for_my_hospital(t.f.town)) == Errc::Forbidden);
  // A clerk of B cannot decide either, nor a municipality.
  auto clerk = must(t.f.core->create_clerk(t.b_admin, "事務 花子", ""));
  auto cp = t.f.activate(clerk.user_id, clerk.initial_password, kOtherHospital);
  CHECK(code_of(t.f.core->decide_affiliation(cp, t.doc_cred.user_id, kOtherHospital,
                                             AffiliationDecision::Approve)) == Errc::Forbidden);
  CHECK(code_of(t.f.core->affiliation_requests_for_my_hospital(cp)) == Errc::Forbidden);
  CHECK(code_of(t.f.core->decide_affiliation(t.f.other_town, t.doc_cred.user_id, kOtherHospital,
                                             AffiliationDecision::Approve)) == Errc::Forbidden);
  CHECK(code_of(t.f.core->request_affiliation(cp, {kHospital, "", true, ""})) == Errc::Forbidden);
  // A clerk removes nobody's 兼務先; the request is still pending.
  CHECK(code_of(t.f.core->remove_affiliation(cp, t.doc_cred.user_id, kOtherHospital)) ==
        Errc::Forbidden);
  CHECK(t.f.audited("affiliation-remove", Outcome::Deny, t.doc_cred.user_id));
  CHECK(must(t.f.core->my_affiliations(t.doc)).at(0).state == AffiliationState::Pending);
}

TEST_CASE("ID-8: removal ends the access and the sessions opened from that hospital's PCs") {
  for (const bool by_admin : {false, true}) {
    TwoHospitals t;
    t.request();
    must(t.f.core->decide_affiliation(t.b_admin, t.doc_cred.user_id, kOtherHospital,
                                      AffiliationDecision::Approve));
    auto at_b = must(
        t.f.core->login(t.doc_cred.user_id, kChosenPassword, Terminal{kOtherHospital, "pc-b"}));
    auto at_a =
        must(t.f.core->login(t.doc_cred.user_id, kChosenPassword, Terminal{kHospital, "pc-a"}));

    auto out = must(t.f.core->remove_affiliation(by_admin ? t.b_admin : t.doc, t.doc_cred.user_id,
                                                 kOtherHospital));
    CHECK(out.user_id == t.doc_cred.user_id);
    CHECK(out.ended_sessions == 1);
    CHECK(t.f.audited("affiliation-remove", Outcome::Allow, t.doc_cred.user_id));
    CHECK_FALSE(
        t.f.core->resolve_session(at_b.session_token, Terminal{kOtherHospital, "pc-b"}).ok());
    CHECK(t.f.core->resolve_session(at_a.session_token, Terminal{kHospital, "pc-a"}).ok());
    CHECK_FALSE(t.logs_in_at(kOtherHospital));
    CHECK_FALSE(t.works_at(kOtherHospital));
    CHECK(must(t.f.core->my_affiliations(t.doc)).empty());
    CHECK(code_of(t.f.core->remove_affiliation(t.doc, t.doc_cred.user_id, kOtherHospital)) ==
          Errc::NotFound);
  }
}

TEST_CASE("ID-8: at most ten 兼務先 pending or approved, each a registered hospital") {
  TwoHospitals t;
  auto& f = t.f;
  auto number = [](int i) {
    char n[16];
    std::snprintf(n, sizeof n, "13200000%02d", i);
    return std::string(n);
  };
  for (int i = 0; i < 11; ++i)
    must(f.core->register_hospital(f.town, Hospital{number(i), "兼務病院", "東京都", "", ""}));
  CHECK(code_of(f.core->request_affiliation(t.doc, {"1399999999", "", true, ""})) ==
        Errc::NotFound);
  CHECK(code_of(f.core->request_affiliation(t.doc, {kHospital, "", true, ""})) == Errc::Conflict);
  CHECK(code_of(f.core->request_affiliation(
            t.doc, {kOtherHospital, std::string(51, 'x'), true, ""})) == Errc::InvalidInput);
  t.request();  // B: approved below, still counts
  must(f.core->decide_affiliation(t.b_admin, t.doc_cred.user_id, kOtherHospital,
                                  AffiliationDecision::Approve));
  for (int i = 0; i < 9; ++i) t.request(number(i));
  CHECK(code_of(f.core->request_affiliation(t.doc, {number(9), "", false, ""})) == Errc::Conflict);
  CHECK(f.audited("affiliation-request", Outcome::Deny, number(9)));
  CHECK(must(f.core->my_affiliations(t.doc)).size() == 10);
  // Removing one makes room.
  must(f.core->remove_affiliation(t.doc, t.doc_cred.user_id, number(0)));
  CHECK(t.request(number(9)).state == AffiliationState::Pending);
}

TEST_CASE("ID-8: the 連絡先 is stored encrypted") {
  TwoHospitals t;
  must(t.f.core->request_affiliation(t.doc, {kOtherHospital, "", false, "renraku-5550123"}));
  CHECK(t.f.database_bytes().find("renraku-5550123") == std::string::npos);
  CHECK_FALSE(must(t.f.core->my_affiliations(t.doc)).at(0).visible);
}
