// ID-1, ID-5, ID-6, ID-9: one ID per person holding designations of two laws
// from two municipalities; each municipality sees and manages only its own.
#include <catch2/catch.hpp>

#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;
using nanbyo::audit::Outcome;

namespace {

DoctorInput pediatric(const std::string& registration, const std::string& name = "山田 太郎") {
  DoctorInput d;
  d.name = name;
  d.registration_number = registration;
  d.kind = Role::PediatricDoctor;
  d.hospital_number = kOtherHospital;
  d.hospital_name = "大阪北病院";
  d.hospital_address = "大阪市北区1-1";
  d.department = "小児科";
  d.designated_on = "2026-06-01";
  d.expires_on = "2032-05-31";
  d.doctor_number = "27-S-0007";
  return d;
}

const Designation& only(const UserView& v) {
  REQUIRE(v.designations.size() == 1);
  return v.designations.front();
}

}  // namespace

TEST_CASE(
    "ID-1: a 難病指定医 of one municipality becomes 小慢指定医 of another under the same ID") {
  CoreFixture f;
  auto cred = f.doctor("4242");  // 難病指定医 of kTown, 13-0001
  auto added = must(f.core->register_doctor(f.other_town, pediatric("4242")));
  CHECK(added.status == RegistrationStatus::DesignationAdded);
  CHECK(added.user_id == cred.user_id);
  CHECK(added.credential.initial_password.empty());
  CHECK(added.notice.kind == "小慢指定医");
  CHECK(added.notice.doctor_number == "27-S-0007");
  CHECK(added.notice.hospital_name == "大阪北病院");
  CHECK(added.notice.initial_password.empty());
  CHECK(f.audited("doctor-register", Outcome::Allow, cred.user_id));

  // Each municipality sees its own designation only.
  auto mine = only(must(f.core->user(f.town, cred.user_id)));
  CHECK(mine.kind == Role::NanbyoDoctor);
  CHECK(mine.program == Program::Nanbyo);
  CHECK(mine.doctor_number == "13-0001");
  auto theirs = only(must(f.core->user(f.other_town, cred.user_id)));
  CHECK(theirs.kind == Role::PediatricDoctor);
  CHECK(theirs.program == Program::Shoman);
  CHECK(theirs.id == added.designation_id);
  REQUIRE(must(f.core->list_doctors(f.other_town)).size() == 1);
  CHECK(only(must(f.core->list_doctors(f.town)).front()).id == mine.id);

  // Notices per designation, for the designating municipality only.
  CHECK(must(f.core->designation_notice(f.town, mine.id)).kind == "難病指定医");
  CHECK(must(f.core->designation_notice(f.other_town, theirs.id)).kind == "小慢指定医");
  CHECK(code_of(f.core->designation_notice(f.other_town, mine.id)) == Errc::NotFound);
  CHECK(code_of(f.core->designation_notice(f.town, theirs.id)) == Errc::NotFound);

  // Public lists per designation.
  auto town_csv = must(f.core->export_public_doctor_list(f.town));
  auto other_csv = must(f.core->export_public_doctor_list(f.other_town));
  CHECK(town_csv.find("13-0001,山田 太郎,難病指定医") != std::string::npos);
  CHECK(town_csv.find("小慢") == std::string::npos);
  CHECK(other_csv.find("27-S-0007,山田 太郎,小慢指定医,大阪北病院") != std::string::npos);
  CHECK(other_csv.find("難病指定医") == std::string::npos);

  // The doctor logs in once, at either hospital, and sees both designations.
  auto doc = f.activate(cred.user_id, cred.initial_password, kOtherHospital);
  CHECK(must(f.core->my_designations(doc)).size() == 2);

  SECTION("registering the same designation again changes nothing") {
    auto again = must(f.core->register_doctor(f.other_town, pediatric("4242")));
    CHECK(again.status == RegistrationStatus::AlreadyRegistered);
    CHECK(again.designation_id == added.designation_id);
  }
  SECTION("a second valid designation within one program is refused") {
    auto nanbyo = pediatric("4242");
    nanbyo.kind = Role::NanbyoDoctor;
    auto refused = f.core->register_doctor(f.other_town, nanbyo);
    REQUIRE(code_of(refused) == Errc::InvalidInput);
    const std::string m(error_text(refused.error()));
    CHECK(m.find("under 難病法 from another municipality") != std::string::npos);
    CHECK(m.find("13-0001") == std::string::npos);
    CHECK(m.find(cred.user_id) == std::string::npos);
    // 協力難病指定医 excludes 難病指定医, also within one municipality.
    DoctorInput cooperating = pediatric("4242");
    cooperating.kind = Role::CooperatingDoctor;
    cooperating.doctor_number = "13-0099";
    auto own = f.core->register_doctor(f.town, cooperating);
    REQUIRE(code_of(own) == Errc::InvalidInput);
    CHECK(std::string(error_text(own.error())).find("of your municipality under 難病法") !=
          std::string::npos);
  }
  SECTION("extending one designation leaves the other as it was") {
    must(f.core->extend_designation(f.other_town, theirs.id, "2037-05-31"));
    CHECK(only(must(f.core->user(f.other_town, cred.user_id))).expires_on == "2037-05-31");
    CHECK(only(must(f.core->user(f.town, cred.user_id))).expires_on == "2031-03-31");
  }
  SECTION("ending one designation keeps the ID; ending the last deletes it") {
    auto first = must(f.core->end_designation(f.town, mine.id));
    CHECK_FALSE(first.id_deleted);
    CHECK(first.revocation.revoked_key_ids.empty());
    CHECK(must(f.core->list_doctors(f.town)).empty());
    CHECK(code_of(f.core->user(f.town, cred.user_id)) == Errc::Forbidden);
    CHECK(must(f.core->export_public_doctor_list(f.town)).find("山田") == std::string::npos);
    CHECK(must(f.core->my_designations(doc)).size() == 1);
    // Still a 小慢指定医: the login works.
    CHECK(f.core->login(cred.user_id, kChosenPassword, Terminal{kOtherHospital, "pc"}).ok());

    auto last = must(f.core->end_designation(f.other_town, theirs.id));
    CHECK(last.id_deleted);
    CHECK(code_of(f.core->login(cred.user_id, kChosenPassword, Terminal{kOtherHospital, "pc"})) ==
          Errc::AuthFailed);
  }
}

TEST_CASE("ID-1: login needs one designation valid today, any of them") {
  CoreFixture f;
  DoctorInput expired = pediatric("777");
  expired.designated_on = "2020-01-01";
  expired.expires_on = "2026-01-31";  // before the fake clock's today
  auto issued = must(f.core->register_doctor(f.other_town, expired));
  REQUIRE(issued.status == RegistrationStatus::Issued);
  auto r = f.core->login(issued.user_id, issued.credential.initial_password,
                         Terminal{kOtherHospital, "pc"});
  REQUIRE(code_of(r) == Errc::Expired);
  CHECK(std::string(error_text(r.error())).find("no designation is valid today") !=
        std::string::npos);
  CHECK(f.audited("login", Outcome::Deny, issued.user_id));
}

TEST_CASE("ID-1: an expired designation does not block a new one in its program") {
  CoreFixture f;
  DoctorInput expired = pediatric("778");
  expired.designated_on = "2020-01-01";
  expired.expires_on = "2026-01-31";
  auto first = must(f.core->register_doctor(f.other_town, expired));
  auto renewed = must(f.core->register_doctor(f.town, [] {
    DoctorInput d = pediatric("778");
    d.doctor_number = "13-S-1";
    d.hospital_number = kHospital;
    return d;
  }()));
  CHECK(renewed.status == RegistrationStatus::DesignationAdded);
  CHECK(renewed.user_id == first.user_id);
  // With the new one valid the doctor logs in.
  CHECK(f.core->login(first.user_id, first.credential.initial_password, Terminal{kHospital, "pc"})
            .ok());
}
