// S-5: personal fields never reach the database file in clear; ciphertexts are
// bound to their row and column; the data key opens only with its master key.
#include <SQLiteCpp/Database.h>
#include <sys/stat.h>
#include <catch2/catch.hpp>

#include <fstream>

#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;

TEST_CASE("S-5: the database file holds no name, kana, e-mail, answer or registration number") {
  CoreFixture f;
  auto cred = f.doctor("7654321", kHospital, "暗号 化子");
  auto r = must(f.core->login(cred.user_id, cred.initial_password, Terminal{kHospital, "pc"}));
  must(f.core->register_email(r.principal, "kako.angou@hospital.example.jp"));
  must(f.core->issue_key_file(r.principal));
  must(f.core->complete_first_login(r.principal, "母の旧姓は", "秘密野", kChosenPassword));
  f.core.reset();  // close: WAL content stays in the -wal file or is checkpointed

  const std::string bytes = f.database_bytes();
  REQUIRE(bytes.size() > 4096);
  for (std::string plain : {"暗号 化子", "暗号", "ヤマダ タロウ", "kako.angou",
                            "hospital.example.jp", "秘密野", "母の旧姓", "7654321"}) {
    INFO(plain);
    CHECK(bytes.find(plain) == std::string::npos);
  }
  // The non-personal hospital data is stored in clear (it is published anyway).
  CHECK(bytes.find("千代田中央病院") != std::string::npos);
}

TEST_CASE("S-5: a ciphertext moved to another user's row does not decrypt") {
  CoreFixture f;
  f.doctor("1001", kHospital, "一番 医師");
  f.doctor("1002", kHospital, "二番 医師");
  f.core.reset();
  {
    SQLite::Database db(f.config.database.string(), SQLite::OPEN_READWRITE);
    db.exec(
        "UPDATE users SET name_enc=(SELECT name_enc FROM users WHERE user_id='A0000001') "
        "WHERE user_id='A0000002'");
  }
  f.reopen();
  CHECK(must(f.core->user(f.town, "A0000001")).name == "一番 医師");
  auto moved = f.core->user(f.town, "A0000002");
  CHECK(code_of(moved) == Errc::Internal);
  CHECK(moved.error().message.find("一番") == std::string::npos);
}

TEST_CASE("S-5: the master key file is created 0600 and a wrong or loose one is refused") {
  CoreFixture f;
  struct stat st {};
  REQUIRE(::stat(f.config.master_key.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(st.st_size == 32);
  f.core.reset();

  SECTION("a different master key cannot open the data key") {
    std::filesystem::remove(f.config.master_key);
    auto r = AppCore::open(f.config, f.clock, f.audit);  // creates a new, wrong key
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("does not open") != std::string::npos);
  }
  SECTION("a key readable by others is refused") {
    ::chmod(f.config.master_key.c_str(), 0644);
    auto r = AppCore::open(f.config, f.clock, f.audit);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("chmod 0600") != std::string::npos);
  }
  SECTION("without create, a missing key is an error") {
    std::filesystem::remove(f.config.master_key);
    f.config.create_master_key = false;
    CHECK_FALSE(AppCore::open(f.config, f.clock, f.audit).ok());
  }
}
