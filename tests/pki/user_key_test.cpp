// Per-user key files (ID-4, S-9): what the holder encrypts the system can
// open, any altered byte is detected, and revoked or expired keys are refused.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>

#include "pki/random.h"
#include "pki/user_key_file.h"
#include "pki/user_key_registry.h"
#include "test_support.h"

using namespace nanbyo;
using namespace nanbyo::pki;
using namespace std::chrono_literals;

namespace {

struct Registry {
  testing::TempDir dir;
  testing::FakeClock clock;
  SQLite::Database db{(dir.path() / "keys.db").string(),
                      SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  UserKeyRegistry registry = open();

  UserKeyRegistry open() {
    auto r = UserKeyRegistry::open(db, random_bytes(32), clock);
    REQUIRE(r.ok());
    return std::move(r.value());
  }
};

const std::string kPlain = "<臨床調査個人票 告示番号=\"6\">パーキンソン病</臨床調査個人票>";

}  // namespace

TEST_CASE("a key file round-trips and its holder and the system both open what it seals",
          "[keys]") {
  Registry r;
  auto key = r.registry.issue("A0000001", 365);
  REQUIRE(key.ok());
  auto parsed = parse_key_file(encode_key_file(*key));
  REQUIRE(parsed.ok());
  CHECK(parsed->key_id == key->key_id);
  CHECK(parsed->user_id == "A0000001");
  CHECK(parsed->secret == key->secret);

  auto sealed = seal_with_key(*parsed, kPlain, r.clock.now());
  REQUIRE(sealed.ok());
  CHECK(sealed->find("パーキンソン") == std::string::npos);
  auto by_holder = open_with_key(*parsed, *sealed, r.clock.now());
  REQUIRE(by_holder.ok());
  CHECK(*by_holder == kPlain);
  auto by_system = r.registry.open_sealed(*sealed);
  REQUIRE(by_system.ok());
  CHECK(*by_system == kPlain);
}

TEST_CASE("every flipped byte of a sealed file is detected", "[keys][tamper]") {
  Registry r;
  auto key = r.registry.issue("A0000001", 365);
  REQUIRE(key.ok());
  auto sealed = seal_with_key(*key, kPlain, r.clock.now());
  REQUIRE(sealed.ok());
  for (std::size_t i = 0; i < sealed->size(); ++i) {
    std::string bad = *sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    INFO("byte " << i);
    CHECK_FALSE(open_with_key(*key, bad, r.clock.now()).ok());
    CHECK_FALSE(r.registry.open_sealed(bad).ok());
  }
  auto tail = *sealed;
  tail[tail.size() - 1] ^= 0x80;
  auto refused = open_with_key(*key, tail, r.clock.now());
  CHECK(refused.error().message ==
        "encrypted data failed authentication (altered, or another key)");
}

TEST_CASE("every flipped byte of a key file is detected", "[keys][tamper]") {
  Registry r;
  auto key = r.registry.issue("A0000001", 365);
  REQUIRE(key.ok());
  const std::string text = encode_key_file(*key);
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string bad = text;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    INFO("byte " << i << " of\n" << text);
    auto parsed = parse_key_file(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK_THAT(parsed.error().message, Catch::StartsWith("not a valid user key file"));
  }
}

TEST_CASE("a revoked key is refused by the system", "[keys][revocation]") {
  Registry r;
  auto key = r.registry.issue("A0000001", 365);
  REQUIRE(key.ok());
  auto sealed = seal_with_key(*key, kPlain, r.clock.now());
  REQUIRE(sealed.ok());
  REQUIRE(r.registry.revoke(key->key_id, "validity-extension").ok());
  auto refused = r.registry.open_sealed(*sealed);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("was revoked"));
  auto twice = r.registry.revoke(key->key_id, "again");
  REQUIRE_FALSE(twice.ok());
  CHECK_THAT(twice.error().message, Catch::Contains("already revoked"));
}

TEST_CASE("revoking a user revokes all their keys, a new key supersedes the old",
          "[keys][revocation]") {
  Registry r;
  auto first = r.registry.issue("A0000001", 365);
  REQUIRE(first.ok());
  auto second = r.registry.issue("A0000001", 365);
  REQUIRE(second.ok());
  auto old = r.registry.find(first->key_id);
  REQUIRE(old.ok());
  CHECK(old->status == "revoked");
  CHECK(old->reason == "superseded");

  auto revoked = r.registry.revoke_user("A0000001", "transfer-out");
  REQUIRE(revoked.ok());
  CHECK(*revoked == std::vector<std::string>{second->key_id});
  auto sealed = seal_with_key(*second, kPlain, r.clock.now());
  REQUIRE(sealed.ok());
  CHECK_FALSE(r.registry.open_sealed(*sealed).ok());
}

TEST_CASE("an expired key is refused on both sides", "[keys][expiry]") {
  Registry r;
  auto key = r.registry.issue("A0000001", 30);
  REQUIRE(key.ok());
  auto sealed = seal_with_key(*key, kPlain, r.clock.now());
  REQUIRE(sealed.ok());
  r.clock.advance(31 * 24h);
  auto holder = seal_with_key(*key, kPlain, r.clock.now());
  REQUIRE_FALSE(holder.ok());
  CHECK_THAT(holder.error().message, Catch::Contains("expired at"));
  auto system = r.registry.open_sealed(*sealed);
  REQUIRE_FALSE(system.ok());
  CHECK_THAT(system.error().message, Catch::Contains("expired at"));
}

TEST_CASE("a file sealed with another user's key or an unknown key is refused", "[keys]") {
  Registry r;
  auto mine = r.registry.issue("A0000001", 365);
  auto theirs = r.registry.issue("B0000001", 365);
  REQUIRE(mine.ok());
  REQUIRE(theirs.ok());
  auto sealed = seal_with_key(*theirs, kPlain, r.clock.now());
  REQUIRE(sealed.ok());
  auto wrong = open_with_key(*mine, *sealed, r.clock.now());
  REQUIRE_FALSE(wrong.ok());
  CHECK_THAT(wrong.error().message, Catch::Contains("was encrypted with key " + theirs->key_id));

  Registry elsewhere;
  auto unknown = elsewhere.registry.open_sealed(*sealed);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "unknown user key " + theirs->key_id);
  CHECK_FALSE(elsewhere.registry.open_sealed("not sealed at all").ok());
}

TEST_CASE("a key that cannot be written leaves the user's old key valid", "[keys][bad-input]") {
  Registry r;
  auto first = r.registry.issue("A0000001", 365);
  REQUIRE(first.ok());
  auto second = r.registry.issue("A0000001", 365, [](const UserKey&) -> Result<void> {
    return fail("cannot write the key file");
  });
  REQUIRE_FALSE(second.ok());
  auto old = r.registry.find(first->key_id);
  REQUIRE(old.ok());
  CHECK(old->status == "valid");
  auto keys = r.registry.list("A0000001");
  REQUIRE(keys.ok());
  CHECK(keys->size() == 1);
}

TEST_CASE("user ids that could break a key file are refused", "[keys][bad-input]") {
  Registry r;
  for (auto bad : {"", "A\nB", "a b", "../x"}) {
    INFO(bad);
    CHECK_FALSE(r.registry.issue(bad, 365).ok());
  }
}
