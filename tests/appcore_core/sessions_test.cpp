// Sessions: tokens stored hashed, CSRF per session, idle and absolute timeouts,
// bound to the hospital and the certificate of the terminal, ended by logout
// and by a password change (issue 12).
#include <SQLiteCpp/Database.h>
#include <catch2/catch.hpp>

#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;

TEST_CASE("sessions: a token resolves to its principal until the idle timeout") {
  CoreFixture f;
  auto r = must(f.core->login(f.town.user_id, kChosenPassword, Terminal{"", "city-hall"}));
  CHECK(r.session_token.size() == 64);
  CHECK(r.next_step == SetupStep::None);
  auto p = must(f.core->resolve_session(r.session_token, Terminal{"", "city-hall"}));
  CHECK(p.user_id == f.town.user_id);
  CHECK(p.role == Role::MunicipalAdmin);

  f.clock.advance(std::chrono::minutes(29));
  CHECK(f.core->resolve_session(r.session_token, Terminal{"", "x"}).ok());  // refreshed
  f.clock.advance(std::chrono::minutes(29));
  CHECK(f.core->resolve_session(r.session_token, Terminal{"", "x"}).ok());
  f.clock.advance(std::chrono::minutes(31));
  CHECK(code_of(f.core->resolve_session(r.session_token, Terminal{"", "x"})) == Errc::Expired);
  CHECK(code_of(f.core->resolve_session(r.session_token, Terminal{"", "x"})) == Errc::AuthFailed);
}

TEST_CASE("sessions: the absolute timeout ends even an active session") {
  CoreFixture f;
  auto r = must(f.core->login(f.town.user_id, kChosenPassword, Terminal{}));
  for (int i = 0; i < 12 * 4 - 1; ++i) {
    f.clock.advance(std::chrono::minutes(15));
    REQUIRE(f.core->resolve_session(r.session_token, Terminal{}).ok());
  }
  f.clock.advance(std::chrono::minutes(15));
  CHECK(code_of(f.core->resolve_session(r.session_token, Terminal{})) == Errc::Expired);
}

TEST_CASE("sessions: CSRF token, terminal binding, logout, hashed storage") {
  CoreFixture f;
  auto r = must(f.core->login(f.town.user_id, kChosenPassword, Terminal{}));
  CHECK(f.core->check_csrf(r.session_token, r.csrf_token).ok());
  CHECK(code_of(f.core->check_csrf(r.session_token, "")) == Errc::Forbidden);
  CHECK(code_of(f.core->check_csrf(r.session_token, r.session_token)) == Errc::Forbidden);
  CHECK(f.audited("csrf-reject", nanbyo::audit::Outcome::Deny));
  CHECK(code_of(f.core->resolve_session(r.session_token, Terminal{kHospital, "pc"})) ==
        Errc::Forbidden);

  f.core.reset();
  CHECK(f.database_bytes().find(r.session_token) == std::string::npos);
  CHECK(f.database_bytes().find(r.csrf_token) == std::string::npos);
  f.reopen();

  must(f.core->logout(r.session_token));
  CHECK(code_of(f.core->resolve_session(r.session_token, Terminal{})) == Errc::AuthFailed);
}

TEST_CASE("sessions: a locked user's sessions end") {
  CoreFixture f;
  auto cred = f.doctor("100");
  auto r = must(f.core->login(cred.user_id, cred.initial_password, Terminal{kHospital, "pc"}));
  must(f.core->set_locked(f.town, cred.user_id, true));
  CHECK_FALSE(f.core->resolve_session(r.session_token, Terminal{kHospital, "pc"}).ok());
}

TEST_CASE("sessions: a session used with another certificate is refused (issue 12)") {
  CoreFixture f;
  auto cred = f.doctor("100");
  const Terminal pc{kHospital, "pc-01", "0A01"};
  auto r = must(f.core->login(cred.user_id, cred.initial_password, pc));
  CHECK(r.principal.cert_serial == "0A01");
  CHECK(must(f.core->resolve_session(r.session_token, pc)).cert_serial == "0A01");
  // Another PC of the same hospital: the cookie alone is not enough.
  const Terminal other_pc{kHospital, "pc-01", "0A02"};
  CHECK(code_of(f.core->resolve_session(r.session_token, other_pc)) == Errc::Forbidden);
  CHECK(code_of(f.core->resolve_session(r.session_token, Terminal{kHospital, "pc-01"})) ==
        Errc::Forbidden);
  CHECK(f.audited("session-use", nanbyo::audit::Outcome::Deny, cred.user_id));
  // The session itself goes on at its own PC.
  CHECK(f.core->resolve_session(r.session_token, pc).ok());
}

TEST_CASE("sessions: a password change ends the user's other sessions (issue 12)") {
  CoreFixture f;
  const Terminal a{"", "desk-a"}, b{"", "desk-b"};
  auto first = must(f.core->login(f.town.user_id, kChosenPassword, a));
  auto second = must(f.core->login(f.town.user_id, kChosenPassword, b));
  auto me = must(f.core->resolve_session(first.session_token, a));
  must(f.core->change_password(me, kChosenPassword, "Umi-Yama-Sora-2027"));
  CHECK(f.core->resolve_session(first.session_token, a).ok());
  CHECK(code_of(f.core->resolve_session(second.session_token, b)) == Errc::AuthFailed);
  CHECK(f.audited("password-change", nanbyo::audit::Outcome::Allow, f.town.user_id));
}

TEST_CASE("sessions: finishing the first login ends the user's other sessions (issue 12)") {
  CoreFixture f;
  auto cred = f.doctor("100");
  const Terminal pc{kHospital, "pc-01", "0A01"};
  auto other = must(f.core->login(cred.user_id, cred.initial_password, pc));
  auto r = must(f.core->login(cred.user_id, cred.initial_password, pc));
  must(f.core->register_email(r.principal, "yamada@example.jp"));
  must(f.core->issue_key_file(r.principal));
  must(f.core->complete_first_login(r.principal, "質問", "答え", kChosenPassword));
  CHECK(f.core->resolve_session(r.session_token, pc).ok());
  CHECK(code_of(f.core->resolve_session(other.session_token, pc)) == Errc::AuthFailed);
}
