// ID-7: the 責任者 manages the hospital's users; nobody else does.
#include <catch2/catch.hpp>

#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;
using nanbyo::audit::Outcome;

TEST_CASE("ID-7: the first doctor is 責任者 and creates, resets, locks and deletes clerks") {
  CoreFixture f;
  auto a = f.doctor("700");
  auto b = f.doctor("701");
  auto admin = f.activate(a.user_id, a.initial_password, kHospital);

  auto clerk = must(f.core->create_clerk(admin, "事務 花", "ジム ハナ"));
  CHECK(clerk.user_id == "C0000001");
  CHECK(clerk.initial_password.size() == 16);
  auto users = must(f.core->hospital_users(admin));
  CHECK(users.size() == 3);
  CHECK(users[0].hospital_admin);
  CHECK(users[0].registration_number.empty());  // not shown to the hospital

  auto notice = must(f.core->id_password_notice(admin, clerk.user_id));
  CHECK(notice.name == "事務 花");
  CHECK(notice.initial_password.empty());  // only at issuance

  auto reset = must(f.core->reset_password(admin, clerk.user_id));
  CHECK(reset.initial_password != clerk.initial_password);
  CHECK_FALSE(f.core->login(clerk.user_id, clerk.initial_password, Terminal{kHospital, "pc"}).ok());
  auto cp = f.activate(clerk.user_id, reset.initial_password, kHospital);

  must(f.core->set_locked(admin, clerk.user_id, true));
  CHECK(code_of(f.core->login(clerk.user_id, kChosenPassword, Terminal{kHospital, "pc"})) ==
        Errc::Locked);
  must(f.core->set_locked(admin, clerk.user_id, false));

  auto re = must(f.core->reissue_key(admin, clerk.user_id));
  CHECK(re.revoked_key_ids.size() == 1);
  CHECK(must(f.core->login(clerk.user_id, kChosenPassword, Terminal{kHospital, "pc"})).next_step ==
        SetupStep::RegisterEmail);

  // A doctor is not deleted by the hospital (ID-6 is the municipality's).
  CHECK(code_of(f.core->delete_user(admin, b.user_id)) == Errc::Forbidden);
  auto gone = must(f.core->delete_user(admin, clerk.user_id));
  CHECK(gone.user_id == clerk.user_id);
  CHECK(f.audited("user-delete", Outcome::Allow, clerk.user_id));
  (void)cp;
}

TEST_CASE("ID-7: handover to another doctor or to a new 責任者 user") {
  CoreFixture f;
  auto a = f.doctor("710");
  auto b = f.doctor("711");
  auto admin = f.activate(a.user_id, a.initial_password, kHospital);
  must(f.core->hand_over_administration(admin, b.user_id));
  CHECK(code_of(f.core->create_clerk(admin, "x", "")) == Errc::Forbidden);
  auto new_admin = f.activate(b.user_id, b.initial_password, kHospital);
  auto it = must(f.core->create_hospital_admin_user(new_admin, "情報 システム", ""));
  CHECK(it.user_id == "H0000001");
  auto it_p = f.activate(it.user_id, it.initial_password, kHospital);
  CHECK(must(f.core->hospital_users(it_p)).size() == 3);
  CHECK(code_of(f.core->hospital_users(new_admin)) == Errc::Forbidden);
}

TEST_CASE("ID-7: a 責任者 cannot touch another hospital's users, clerks manage nobody") {
  CoreFixture f;
  auto a = f.doctor("720");
  auto other = f.doctor("721", kOtherHospital, "他院 医師");  // its hospital is new
  auto admin = f.activate(a.user_id, a.initial_password, kHospital);
  CHECK(code_of(f.core->reset_password(admin, other.user_id)) == Errc::Forbidden);
  CHECK(code_of(f.core->set_locked(admin, other.user_id, true)) == Errc::Forbidden);
  CHECK(code_of(f.core->reissue_key(admin, other.user_id)) == Errc::Forbidden);
  CHECK(code_of(f.core->user(admin, other.user_id)) == Errc::Forbidden);
  CHECK(code_of(f.core->hand_over_administration(admin, other.user_id)) == Errc::Forbidden);
  CHECK(f.audited("password-reset", Outcome::Deny, other.user_id));

  auto clerk = must(f.core->create_clerk(admin, "事務", ""));
  auto cp = f.activate(clerk.user_id, clerk.initial_password, kHospital);
  CHECK(code_of(f.core->create_clerk(cp, "x", "")) == Errc::Forbidden);
  CHECK(code_of(f.core->reset_password(cp, a.user_id)) == Errc::Forbidden);
  // Nobody resets, locks or deletes themself through these calls.
  CHECK(code_of(f.core->set_locked(admin, a.user_id, true)) == Errc::Forbidden);
}
