// ID-1: a municipality registers one doctor; the 医籍登録番号 finds an ID already issued.
#include <catch2/catch.hpp>

#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;

TEST_CASE("ID-1: registering a doctor issues an A-id, an initial password and the notice") {
  CoreFixture f;
  DoctorInput d;
  d.name = "佐藤 花子";
  d.registration_number = "０１２３４５";  // full-width, leading zero
  d.kind = Role::CooperatingDoctor;
  d.hospital_number = kHospital;
  d.hospital_name = "千代田中央病院";
  d.hospital_address = "東京都千代田区1-1";
  d.department = "小児科";
  d.designated_on = "2026/4/1";
  d.expires_on = "2031-03-31";
  d.doctor_number = "13-0002";
  auto r = must(f.core->register_doctor(f.town, d));
  CHECK(r.status == RegistrationStatus::Issued);
  CHECK(r.user_id == "B0000001");
  CHECK(r.credential.initial_password.size() == 16);
  CHECK(r.notice.doctor_name == "佐藤 花子");
  CHECK(r.notice.hospital_name == "千代田中央病院");
  CHECK(r.notice.designated_on == "2026-04-01");
  CHECK(r.notice.initial_password == r.credential.initial_password);
  CHECK(f.audited("doctor-register", nanbyo::audit::Outcome::Allow, "B0000001"));

  SECTION("the same designation again (any spelling of the number) changes nothing") {
    d.registration_number = "12345";
    d.name = "佐藤　花子";  // an ideographic space is the same name
    auto again = must(f.core->register_doctor(f.town, d));
    CHECK(again.status == RegistrationStatus::AlreadyRegistered);
    CHECK(again.user_id == "B0000001");
    CHECK(again.designation_id == r.designation_id);
    CHECK(again.credential.initial_password.empty());
  }
  SECTION("another name under the same number is refused without telling the stored name") {
    d.name = "佐藤 花江";
    auto other = f.core->register_doctor(f.town, d);
    REQUIRE(code_of(other) == Errc::InvalidInput);
    const std::string m(error_text(other.error()));
    CHECK(m.starts_with("name: differs from the name registered"));
    CHECK(m.find("花子") == std::string::npos);
    CHECK(m.find("B0000001") == std::string::npos);
  }
  SECTION("the hospital's first doctor becomes its 責任者") {
    auto v = must(f.core->user(f.town, "B0000001"));
    CHECK(v.hospital_admin);
    CHECK(v.registration_number == "12345");
    f.doctor("99999");
    CHECK_FALSE(must(f.core->user(f.town, "A0000001")).hospital_admin);
  }
}

TEST_CASE("ID-1: invalid fields are refused with the field named") {
  CoreFixture f;
  DoctorInput d;
  d.name = "";
  d.registration_number = "12a";
  d.kind = Role::NanbyoDoctor;
  d.hospital_number = "123";
  d.designated_on = "2026-02-30";
  auto r = f.core->register_doctor(f.town, d);
  REQUIRE(code_of(r) == Errc::InvalidInput);
  const std::string m(error_text(r.error()));
  CHECK(m.find("name: is required") != std::string::npos);
  CHECK(m.find("registration_number: must be 1 to 10 digits") != std::string::npos);
  CHECK(m.find("hospital_number: must be 10 digits") != std::string::npos);
  CHECK(m.find("designated_on: must be a date") != std::string::npos);

  SECTION("an unknown hospital needs its name") {
    DoctorInput ok;
    ok.name = "鈴木 一";
    ok.registration_number = "1";
    ok.hospital_number = "1310000009";
    auto r2 = f.core->register_doctor(f.town, ok);
    REQUIRE(code_of(r2) == Errc::InvalidInput);
    CHECK(std::string(error_text(r2.error())).starts_with("hospital_name:"));
  }
}

TEST_CASE("ID-1: only municipal administrators register doctors") {
  CoreFixture f;
  auto cred = f.doctor("111");
  auto doc = f.activate(cred.user_id, cred.initial_password, kHospital);
  DoctorInput d;
  d.name = "x";
  d.registration_number = "222";
  d.hospital_number = kHospital;
  CHECK(code_of(f.core->register_doctor(doc, d)) == Errc::Forbidden);
  CHECK(code_of(f.core->register_doctor(f.op, d)) == Errc::Forbidden);
  CHECK(f.audited("doctor-register", nanbyo::audit::Outcome::Deny));
}

TEST_CASE("ID-1/ID-2: numbers, kana and dates a careful registry refuses") {
  CoreFixture f;
  DoctorInput d;
  d.name = "田中 一郎";
  d.registration_number = "000";
  d.kind = Role::NanbyoDoctor;
  d.hospital_number = kHospital;
  d.hospital_name = "千代田中央病院";
  d.kana = "Tanaka Ichiro";
  d.designated_on = "2026-04-01";
  d.expires_on = "2026-04-01";
  auto r = f.core->register_doctor(f.town, d);
  REQUIRE(code_of(r) == Errc::InvalidInput);
  const std::string m(error_text(r.error()));
  CHECK(m.find("registration_number: must be a positive number") != std::string::npos);
  CHECK(m.find("kana: must be full-width katakana (Latin letters are refused)") !=
        std::string::npos);
  CHECK(m.find("expires_on: must be after the designation date") != std::string::npos);

  SECTION("half-width katakana and hiragana are stored as full-width katakana") {
    d.registration_number = "5150";
    d.kana = "ﾀﾅｶ  ｲﾁﾛｳ";
    d.expires_on = "2031-03-31";
    auto ok = must(f.core->register_doctor(f.town, d));
    CHECK(must(f.core->user(f.town, ok.user_id)).kana == "タナカ\u3000イチロウ");
    d.registration_number = "5151";
    d.name = "田中 次郎";
    d.kana = "たなか じろう";
    auto ok2 = must(f.core->register_doctor(f.town, d));
    CHECK(must(f.core->user(f.town, ok2.user_id)).kana == "タナカ\u3000ジロウ");
  }
  SECTION("a hospital number with a wrong check digit is stored with a warning") {
    d.registration_number = "5152";
    d.kana.clear();
    d.expires_on = "2031-03-31";
    d.hospital_number = "0110113718";  // 検証番号 should be 9
    auto warned = must(f.core->register_doctor(f.town, d));
    REQUIRE(warned.warnings.size() == 1);
    CHECK(warned.warnings[0].find("check digit") != std::string::npos);
    d.registration_number = "5153";
    d.name = "田中 三郎";
    d.hospital_number = "0110113719";
    CHECK(must(f.core->register_doctor(f.town, d)).warnings.empty());
  }
}
