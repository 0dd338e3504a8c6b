// Login (issue 12): a hospital user's terminal is checked before the password
// and a stranger at another hospital's PC counts for nothing; failed logins
// throttle (per account, capped low, and per terminal, capped high) instead of
// locking; waits refuse without checking the password; the manual lock and
// unlock stay; the initial password expires after 90 days.
#include <catch2/catch.hpp>

#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;
using nanbyo::audit::Outcome;
using std::chrono::seconds;

namespace {

// The seconds named in a throttle refusal ("... try again in 8 seconds").
long wait_of(const nanbyo::Result<LoginResult>& r) {
  if (r.ok() || error_code(r.error()) != Errc::Throttled) return 0;
  const std::string text(error_text(r.error()));
  const std::string marker = "try again in ";
  return std::stol(text.substr(text.find(marker) + marker.size()));
}

// A clerk of kHospital (its 責任者 is a doctor registered first).
struct ClerkFixture : CoreFixture {
  ClerkFixture() {
    auto admin_cred = doctor("100");
    admin = activate(admin_cred.user_id, admin_cred.initial_password, kHospital);
    clerk = must(core->create_clerk(admin, "事務 三郎", "ジム サブロウ"));
  }
  nanbyo::Result<LoginResult> try_login(const std::string& password, const Terminal& t) {
    return core->login(clerk.user_id, password, t);
  }
  Principal admin;
  IssuedCredential clerk;
};

const Terminal kOwnPc{kHospital, "pc-owner", "0A01"};
const Terminal kStrangerPc{kHospital, "pc-stranger", "0A02"};
const Terminal kOtherHospitalPc{kOtherHospital, "pc-far", "0B01"};

}  // namespace

TEST_CASE("login: failures never lock the account, the owner still gets in (issue 12)") {
  ClerkFixture f;
  // A stranger at another PC of the same hospital guesses 50 times, waiting
  // out every throttle refusal.
  int guesses = 0, refusals = 0;
  while (guesses < 50) {
    auto r = f.try_login("wrong-password-" + std::to_string(guesses), kStrangerPc);
    if (const long w = wait_of(r)) {
      ++refusals;
      f.clock.advance(seconds(w));
      continue;
    }
    CHECK(code_of(r) == Errc::AuthFailed);
    ++guesses;
  }
  CHECK(refusals > 0);
  CHECK_FALSE(f.audited("account-lock", Outcome::Deny, f.clerk.user_id));
  CHECK_FALSE(must(f.core->user(f.admin, f.clerk.user_id)).locked);
  // The stranger's PC now waits long; the owner's own PC waits at most the account cap.
  const long stranger_wait = wait_of(f.try_login("again", kStrangerPc));
  CHECK(stranger_wait > f.config.login_throttle.account_cap.count());
  const long own_wait = wait_of(f.try_login(f.clerk.initial_password, kOwnPc));
  CHECK(own_wait <= f.config.login_throttle.account_cap.count());
  f.clock.advance(seconds(own_wait));
  auto ok = f.try_login(f.clerk.initial_password, kOwnPc);
  REQUIRE(ok.ok());
  // Success resets the account: one more wrong password does not wait.
  CHECK(code_of(f.try_login("typo", kOwnPc)) == Errc::AuthFailed);
  CHECK(f.try_login(f.clerk.initial_password, kOwnPc).ok());
}

TEST_CASE("login: the waits grow per account and per terminal, capped") {
  ClerkFixture f;
  const auto& cfg = f.config.login_throttle;
  // The wait that followed each counted failure (0: the next try was let through).
  std::vector<long> waits;
  while (waits.size() < 14) {
    auto r = f.try_login("wrong", kStrangerPc);
    if (const long w = wait_of(r)) {
      REQUIRE_FALSE(waits.empty());
      waits.back() = w;
      f.clock.advance(seconds(w));
      continue;
    }
    REQUIRE(code_of(r) == Errc::AuthFailed);
    waits.push_back(0);
  }
  waits.pop_back();  // the last failure was not followed by a try
  // Free failures first, then 1, 2, 4 ... seconds, up to the terminal's cap.
  for (std::size_t i = 0; i < static_cast<std::size_t>(cfg.free_failures); ++i)
    CHECK(waits[i] == 0);
  CHECK(waits[static_cast<std::size_t>(cfg.free_failures)] == cfg.first_wait.count());
  for (std::size_t i = 1; i < waits.size(); ++i) CHECK(waits[i] >= waits[i - 1]);
  CHECK(waits.back() > cfg.account_cap.count());
  CHECK(waits.back() <= cfg.terminal_cap.count());
  CHECK(f.audited("login-throttled", Outcome::Deny, f.clerk.user_id));
}

TEST_CASE("login: a refusal inside a wait does not check the password") {
  ClerkFixture f;
  long w = 0;
  while (w == 0) {
    auto r = f.try_login("wrong", kOwnPc);
    w = wait_of(r);
  }
  // The right password inside the wait is refused all the same, and counts nothing.
  auto r = f.try_login(f.clerk.initial_password, kOwnPc);
  CHECK(code_of(r) == Errc::Throttled);
  CHECK(wait_of(r) <= w);
  // Many refusals in one wait leave one audit record.
  const auto before = f.audit.events().size();
  for (int i = 0; i < 20; ++i) (void)f.try_login(f.clerk.initial_password, kOwnPc);
  CHECK(f.audit.events().size() <= before + 1);
  f.clock.advance(seconds(w));
  CHECK(f.try_login(f.clerk.initial_password, kOwnPc).ok());
}

TEST_CASE("login: a stranger at another hospital's PC is refused before the password") {
  ClerkFixture f;
  // Even the right password: the terminal is not of the clerk's hospital.
  auto right = f.try_login(f.clerk.initial_password, kOtherHospitalPc);
  CHECK(code_of(right) == Errc::AuthFailed);
  // The same answer as for an ID that does not exist (no enumeration).
  auto unknown = f.core->login("C9999999", "whatever", kOtherHospitalPc);
  CHECK(right.error().message == unknown.error().message);
  for (int i = 0; i < 50; ++i) {
    auto r = f.try_login("guess-" + std::to_string(i), kOtherHospitalPc);
    if (const long w = wait_of(r)) f.clock.advance(seconds(w));
  }
  // None of it counted against the account: the owner gets in at once.
  CHECK(f.core->login(f.clerk.user_id, f.clerk.initial_password, kOwnPc).ok());
  CHECK(f.audited("login", Outcome::Deny, f.clerk.user_id));
}

TEST_CASE("login: the manual lock stays, unlock also ends a throttle wait") {
  ClerkFixture f;
  must(f.core->set_locked(f.admin, f.clerk.user_id, true));
  CHECK(f.audited("account-lock", Outcome::Allow, f.clerk.user_id));
  CHECK(code_of(f.try_login(f.clerk.initial_password, kOwnPc)) == Errc::Locked);
  must(f.core->set_locked(f.admin, f.clerk.user_id, false));
  // Build a wait on the account from several PCs, then unlock clears it.
  for (int i = 0; i < 6; ++i) {
    const Terminal pc{kHospital, "pc-" + std::to_string(i), "0C0" + std::to_string(i)};
    (void)f.try_login("wrong", pc);
  }
  CHECK(code_of(f.try_login(f.clerk.initial_password, kOwnPc)) == Errc::Throttled);
  must(f.core->set_locked(f.admin, f.clerk.user_id, false));
  CHECK(f.audited("account-unlock", Outcome::Allow, f.clerk.user_id));
  CHECK(f.try_login(f.clerk.initial_password, kOwnPc).ok());
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
        Errc::AuthFailed);
  CHECK(code_of(f.core->login(cred.user_id, cred.initial_password,
                              Terminal{kOtherHospital, "pc"})) == Errc::AuthFailed);
  CHECK(f.core->login(cred.user_id, cred.initial_password, Terminal{kHospital, "pc"}).ok());
  // Staff (municipality, operator) are not tied to a hospital.
  CHECK(f.core->login(f.town.user_id, kChosenPassword, Terminal{"", "city-hall"}).ok());
}

TEST_CASE("login: a doctor whose designation expired is refused before the password") {
  CoreFixture f;
  auto cred = f.doctor("100");  // expires 2031-03-31
  f.clock.advance(std::chrono::days(365 * 5));
  auto reset = must(f.core->reset_password(f.town, cred.user_id));  // initial password fresh
  auto r = f.core->login(cred.user_id, reset.initial_password, Terminal{kHospital, "pc"});
  CHECK(code_of(r) == Errc::Expired);
  CHECK(std::string(error_text(r.error())).find("designation") != std::string::npos);
  // Without the password too, and it counts nothing.
  for (int i = 0; i < 10; ++i) {
    auto wrong = f.core->login(cred.user_id, "wrong", Terminal{kHospital, "pc"});
    CHECK(code_of(wrong) == Errc::Expired);
  }
}

TEST_CASE("password change: wrong current passwords throttle like logins (issue 12)") {
  ClerkFixture f;
  Principal me = f.activate(f.clerk.user_id, f.clerk.initial_password, kHospital);
  // A stolen session guessing the current password on the password screen.
  for (int i = 0; i < 4; ++i) {
    auto r = f.core->change_password(me, "Wrong-Current-2026", "Neue-Passwort-2027");
    CHECK((code_of(r) == Errc::AuthFailed || code_of(r) == Errc::Throttled));
  }
  auto held = f.core->change_password(me, kChosenPassword, "Neue-Passwort-2027");
  CHECK(code_of(held) == Errc::Throttled);  // even the right one waits, unchecked
  CHECK(f.audited("login-throttled", Outcome::Deny, f.clerk.user_id));
  f.clock.advance(seconds(31));
  must(f.core->change_password(me, kChosenPassword, "Neue-Passwort-2027"));
}
