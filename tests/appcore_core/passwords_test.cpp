// Passwords: machine-issued initial passwords, the policy for chosen ones, Argon2id.
#include <sodium.h>
#include <catch2/catch.hpp>

#include <set>

#include "appcore/core/passwords.h"
#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;

TEST_CASE("passwords: initial passwords are 16 unambiguous characters, all different") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto p = generate_initial_password();
    CHECK(p.size() == 16);
    CHECK(p.find_first_of("01OlI") == std::string::npos);
    seen.insert(p);
  }
  CHECK(seen.size() == 200);
}

TEST_CASE("passwords: the policy for chosen passwords") {
  CHECK(check_password_policy("A0000001", "Kawa-Sakura-2026").ok());
  CHECK(check_password_policy("A0000001", "KawaSakura2026").ok());
  CHECK_FALSE(check_password_policy("A0000001", "kawasakura2026").ok());  // two classes only
}

TEST_CASE("passwords: policy refusals name the rule") {
  auto msg = [](const char* pw) {
    auto r = check_password_policy("A0000001", pw);
    return r.ok() ? std::string() : std::string(error_text(r.error()));
  };
  CHECK(msg("Short-1a").find("12 to 128") != std::string::npos);
  CHECK(msg("alllowercaseletters").find("three of") != std::string::npos);
  CHECK(msg("Pass a0000001-X").find("printable ASCII") != std::string::npos);
  CHECK(msg("Xa0000001-Zebra").find("user ID") != std::string::npos);
}

TEST_CASE("passwords: Argon2id hashes verify only the right password") {
  auto h = must(hash_chosen_password("Kawa-Sakura-2026", crypto_pwhash_OPSLIMIT_MIN,
                                     crypto_pwhash_MEMLIMIT_MIN));
  CHECK(h.starts_with("$argon2id$"));
  CoreFixture f;
  f.core.reset();
  auto store = must(open_sqlite_store(f.config.database));
  auto keys = must(KeyHierarchy::open(*store, must(load_master_key(f.config.master_key, false))));
  CHECK(verify_password(keys, "A0000001", h, "Kawa-Sakura-2026"));
  CHECK_FALSE(verify_password(keys, "A0000001", h, "Kawa-Sakura-2027"));
  auto initial = hash_initial_password(keys, "A0000001", "abcdefghijkmnopq");
  CHECK(is_initial_hash(initial));
  CHECK(verify_password(keys, "A0000001", initial, "abcdefghijkmnopq"));
  // Bound to the user id: the same password of another user does not match.
  CHECK_FALSE(verify_password(keys, "A0000002", initial, "abcdefghijkmnopq"));
}
