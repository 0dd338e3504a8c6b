// Upgrade (issue 11): a database written by the version-1 schema (one
// designation per doctor, in the doctors table) opens under the designations
// schema with every doctor, name, number and designation intact.
// data/appcore-v1.db and its master key were written by the released version-1
// code (the tests' CoreFixture: two municipalities, four doctors, one clerk).
#include <SQLiteCpp/Database.h>
#include <catch2/catch.hpp>

#include <filesystem>

#include "appcore/core/store.h"
#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;
namespace fs = std::filesystem;

namespace {

struct UpgradedCopy {
  fs::path dir;
  CoreConfig config;
  FakeClock clock;  // the same fixed date as when the fixture was written
  nanbyo::audit::MemoryAuditSink audit;
  std::unique_ptr<AppCore> core;

  UpgradedCopy() {
    char tmpl[] = "/tmp/appcore-upgrade-XXXXXX";
    dir = ::mkdtemp(tmpl);
    const fs::path data(NANBYO_APPCORE_TEST_DATA);
    fs::copy_file(data / "appcore-v1.db", dir / "appcore.db");
    fs::copy_file(data / "appcore-v1.key", dir / "master.key");
    fs::permissions(dir / "master.key", fs::perms::owner_read | fs::perms::owner_write);
    config.database = dir / "appcore.db";
    config.master_key = dir / "master.key";
    config.argon2_ops = crypto_pwhash_OPSLIMIT_MIN;
    config.argon2_mem = crypto_pwhash_MEMLIMIT_MIN;
  }
  ~UpgradedCopy() {
    core.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  Principal login(const std::string& user_id, const std::string& hospital = "") {
    return must(core->login(user_id, kChosenPassword, Terminal{hospital, "pc-01"})).principal;
  }
};

}  // namespace

TEST_CASE("upgrade: a version-1 database keeps every doctor as one designation") {
  UpgradedCopy u;
  {
    SQLite::Database before(u.config.database.string());
    REQUIRE(before.execAndGet("SELECT MAX(version) FROM schema_migrations").getInt() == 1);
    REQUIRE(before.execAndGet("SELECT COUNT(*) FROM doctors").getInt() == 4);
  }
  u.core = must(AppCore::open(u.config, u.clock, u.audit));
  {
    SQLite::Database after(u.config.database.string());
    CHECK(after.execAndGet("SELECT MAX(version) FROM schema_migrations").getInt() ==
          sqlite_schema_version());
    CHECK(after.execAndGet("SELECT COUNT(*) FROM designations").getInt() == 4);
  }
  const auto town = u.login("M0000001");
  const auto other_town = u.login("M0000002");

  auto list = must(u.core->list_doctors(town));
  REQUIRE(list.size() == 3);
  const auto& yamada = list[0];
  CHECK(yamada.user_id == "A0000001");
  CHECK(yamada.name == "山田 太郎");
  CHECK(yamada.registration_number == "100001");
  REQUIRE(yamada.designations.size() == 1);
  const auto& d = yamada.designations[0];
  CHECK(d.kind == Role::NanbyoDoctor);
  CHECK(d.program == Program::Nanbyo);
  CHECK(d.municipality == kTown);
  CHECK(d.hospital == kHospital);
  CHECK(d.department == "神経内科");
  CHECK(d.designated_on == "2026-04-01");
  CHECK(d.expires_on == "2031-03-31");
  CHECK(d.doctor_number == "13-0001");
  CHECK(d.valid);
  CHECK(list[1].designations.at(0).kind == Role::CooperatingDoctor);
  CHECK(list[1].kana == "サトウ ハナコ");
  CHECK_FALSE(list[2].designations.at(0).valid);  // expired before the upgrade, still expired

  auto pediatric = must(u.core->list_doctors(other_town));
  REQUIRE(pediatric.size() == 1);
  CHECK(pediatric[0].designations.at(0).program == Program::Shoman);
  CHECK(pediatric[0].designations.at(0).hospital == kOtherHospital);
  CHECK(must(u.core->export_public_doctor_list(other_town)).find("27-S-7,小児 三郎,小慢指定医") !=
        std::string::npos);

  // The doctor whose first login was done logs in with the password chosen then,
  // still 責任者; the clerk created then is still there.
  auto doctor = u.login("A0000001", kHospital);
  CHECK(must(u.core->my_designations(doctor)).size() == 1);
  auto users = must(u.core->hospital_users(doctor));
  CHECK(users.size() == 4);  // three doctors of the hospital and the clerk

  // An upgraded doctor takes a second designation under the same ID.
  DoctorInput more;
  more.name = "山田 太郎";
  more.registration_number = "100001";
  more.kind = Role::PediatricDoctor;
  more.hospital_number = kOtherHospital;
  more.doctor_number = "27-S-8";
  auto added = must(u.core->register_doctor(other_town, more));
  CHECK(added.status == RegistrationStatus::DesignationAdded);
  CHECK(added.user_id == "A0000001");
}

// Issue 12: the 兼務先 of version 1 were self-declared, without the hospital's
// consent; after the upgrade they are pending requests that grant nothing
// until that hospital's 責任者 approves them.
TEST_CASE("upgrade: a version-1 兼務先 becomes a pending request (ID-8 by consent)") {
  UpgradedCopy u;
  {
    // The version-1 fixture has no 兼務先; add one as version 1 stored it.
    SQLite::Database before(u.config.database.string(), SQLite::OPEN_READWRITE);
    before.exec("INSERT INTO affiliations(user_id, hospital) VALUES('A0000001', '" +
                std::string(kOtherHospital) + "')");
  }
  u.core = must(AppCore::open(u.config, u.clock, u.audit));
  CHECK_FALSE(u.core->login("A0000001", kChosenPassword, Terminal{kOtherHospital, "pc"}).ok());
  auto doctor = u.login("A0000001", kHospital);
  auto mine = must(u.core->my_affiliations(doctor));
  REQUIRE(mine.size() == 1);
  CHECK(mine[0].hospital.number == kOtherHospital);
  CHECK(mine[0].state == AffiliationState::Pending);
  CHECK_FALSE(mine[0].requested_at.empty());
  CHECK(mine[0].contact.empty());
}
