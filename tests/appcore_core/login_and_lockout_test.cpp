// Login: wrong passwords lock the account after 5 failures (audited), the
// initial password expires after 90 days, and hospital users log in only from
// a PC certificate of their hospital or a registered 兼務先.
#include <catch2/catch.hpp>

#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;
using nanbyo::audit::Outcome;

TEST_CASE("login: five wrong passwords lock the account; the 責任者 unlocks it") {
  CoreFixture f;
  auto admin_cred = f.doctor("100");  // first doctor: 責任者
  auto admin = f.activate(admin_cred.user_id, admin_cred.initial_password, kHospital);
  auto clerk = must(f.core->create_clerk(admin, "事務 三郎", "ジム サブロウ"));
  CHECK(clerk.user_id == "C0000001");
  for (int i = 0; i < 5; ++i) {
    auto r = f.core->login(clerk.user_id, "wrong-password", Terminal{kHospital, "pc"});
    CHECK(code_of(r) == (i < 5 ? Errc::AuthFailed : Errc::Locked));
  }
  CHECK(f.audited("account-lock", Outcome::Deny, clerk.user_id));
  // Even the right password is refused now.
  auto locked = f.core->login(clerk.user_id, clerk.initial_password, Terminal{kHospital, "pc"});
  CHECK(code_of(locked) == Errc::Locked);
  CHECK(must(f.core->user(admin, clerk.user_id)).locked);

  must(f.core->set_locked(admin, clerk.user_id, false));
  CHECK(f.audited("account-unlock", Outcome::Allow, clerk.user_id));
  CHECK(f.core->login(clerk.user_id, clerk.initial_password, Terminal{kHospital, "pc"}).ok());
}

TEST_CASE("login: unknown IDs and wrong passwords get the same answer") {
  CoreFixture f;
  auto a = f.core->login("Z9999999", "whatever", Terminal{});
  auto cred = f.doctor("100");
  auto b = f.core->login(cred.user_id, "whatever", Terminal{kHospital, "pc"});
  CHECK(a.error().message == b.error().message);
  CHECK(f.audited("login", Outcome::Deny, "Z9999999"));
}

TEST_CASE("login: an initial password expires after 90 days") {
  CoreFixture f;
  auto cred = f.doctor("100");
  f.clock.advance(std::chrono::days(91));
  auto r = f.core->login(cred.user_id, cred.initial_password, Terminal{kHospital, "pc"});
  CHECK(code_of(r) == Errc::Expired);
  // A reset by the municipality issues a fresh one.
  auto fresh = must(f.core->reset_password(f.town, cred.user_id));
  CHECK(f.core->login(cred.user_id, fresh.initial_password, Terminal{kHospital, "pc"}).ok());
}

TEST_CASE("login: a hospital user needs a PC certificate of the hospital or a 兼務先") {
  CoreFixture f;
  auto cred = f.doctor("100");
  CHECK(code_of(f.core->login(cred.user_id, cred.initial_password, Terminal{"", "browser"})) ==
        Errc::Forbidden);
  CHECK(code_of(f.core->login(cred.user_id, cred.initial_password,
                              Terminal{kOtherHospital, "pc"})) == Errc::Forbidden);
  CHECK(f.core->login(cred.user_id, cred.initial_password, Terminal{kHospital, "pc"}).ok());
  // Staff (municipality, operator) are not tied to a hospital.
  CHECK(f.core->login(f.town.user_id, kChosenPassword, Terminal{"", "city-hall"}).ok());
}

TEST_CASE("login: a doctor whose designation expired cannot log in") {
  CoreFixture f;
  auto cred = f.doctor("100");  // expires 2031-03-31
  f.clock.advance(std::chrono::days(365 * 5));
  auto reset = must(f.core->reset_password(f.town, cred.user_id));  // initial password fresh
  auto r = f.core->login(cred.user_id, reset.initial_password, Terminal{kHospital, "pc"});
  CHECK(code_of(r) == Errc::Expired);
  CHECK(std::string(error_text(r.error())).find("designation") != std::string::npos);
}
