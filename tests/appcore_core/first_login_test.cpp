// ID-4: initial password → e-mail (last wins) → key file → secret question and new password.
#include <catch2/catch.hpp>

#include "core_fixture.h"
#include "pki/user_key_file.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;

TEST_CASE("ID-4: the first login walks through every step in order") {
  CoreFixture f;
  auto cred = f.doctor("100");
  auto r = must(f.core->login(cred.user_id, cred.initial_password, Terminal{kHospital, "pc"}));
  REQUIRE(r.next_step == SetupStep::RegisterEmail);
  const Principal p = r.principal;

  // Nothing else works before the steps are done.
  CHECK(code_of(f.core->my_affiliations(p)) == Errc::SetupRequired);
  CHECK(code_of(f.core->issue_key_file(p)) == Errc::WrongStep);
  CHECK(code_of(f.core->complete_first_login(p, "q", "a", kChosenPassword)) == Errc::WrongStep);
  CHECK(code_of(f.core->register_email(p, "not-an-address")) == Errc::InvalidInput);

  CHECK(must(f.core->register_email(p, "first@example.jp")) == SetupStep::IssueKey);
  CHECK(must(f.core->register_email(p, "second@example.jp")) == SetupStep::IssueKey);
  auto delivery = must(f.core->issue_key_file(p));
  CHECK(delivery.email == "second@example.jp");  // the last one wins
  CHECK(delivery.user_id == cred.user_id);
  auto key = must(nanbyo::pki::parse_key_file(delivery.key_file));
  CHECK(key.user_id == cred.user_id);
  CHECK(key.key_id == delivery.key_id);
  CHECK(must(f.core->setup_step(p)) == SetupStep::SetPassword);
  // A lost mail: the key file can be issued again until the password step is done.
  auto again = must(f.core->issue_key_file(p));
  CHECK(again.key_id != delivery.key_id);

  CHECK(code_of(f.core->complete_first_login(p, "q", "a", "short")) == Errc::InvalidInput);
  CHECK(code_of(f.core->complete_first_login(p, "q", "a", cred.initial_password)) ==
        Errc::InvalidInput);
  must(f.core->complete_first_login(p, "最初の学校", "桜小学校", kChosenPassword));
  CHECK(must(f.core->setup_step(p)) == SetupStep::None);
  CHECK(f.core->my_affiliations(p).ok());
  CHECK(f.audited("first-login-complete", nanbyo::audit::Outcome::Allow, cred.user_id));
  CHECK(f.audited("user-key-issue", nanbyo::audit::Outcome::Allow, cred.user_id));

  // The initial password no longer works; the chosen one does.
  CHECK_FALSE(f.core->login(cred.user_id, cred.initial_password, Terminal{kHospital, "pc"}).ok());
  auto next = must(f.core->login(cred.user_id, kChosenPassword, Terminal{kHospital, "pc"}));
  CHECK(next.next_step == SetupStep::None);
}

TEST_CASE("ID-4: staff users only choose a password") {
  CoreFixture f;
  auto cred = must(f.core->create_staff_user(f.op, Role::SecurityAuditor, "監査 四郎", "", ""));
  CHECK(cred.user_id == "S0000001");
  auto r = must(f.core->login(cred.user_id, cred.initial_password, Terminal{}));
  CHECK(r.next_step == SetupStep::SetPassword);
}

TEST_CASE("passwords: changing a chosen password needs the current one") {
  CoreFixture f;
  CHECK(code_of(f.core->change_password(f.town, "wrong", "Another-Pass-99")) == Errc::AuthFailed);
  must(f.core->change_password(f.town, kChosenPassword, "Another-Pass-99"));
  CHECK(f.core->login(f.town.user_id, "Another-Pass-99", Terminal{}).ok());
}
