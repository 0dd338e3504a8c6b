// ID-3 notices (the seed's items) and ID-9 the public list of doctors.
#include <catch2/catch.hpp>

#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;

TEST_CASE("ID-3: the 指定通知書 carries items ①-⑤ and the ID, never a stored password") {
  CoreFixture f;
  auto cred = f.doctor("300", kHospital, "通知 太郎");
  const auto designation = f.designation_of(cred.user_id);
  auto n = must(f.core->designation_notice(f.town, designation));
  CHECK(n.kind == "難病指定医");
  CHECK(n.designation_id == designation);
  CHECK(n.doctor_name == "通知 太郎");
  CHECK(n.hospital_name == "千代田中央病院");
  CHECK(n.hospital_address == "東京都千代田区1-1");
  CHECK(n.department == "神経内科");
  CHECK(n.designated_on == "2026-04-01");
  CHECK(n.expires_on == "2031-03-31");
  CHECK(n.doctor_number == "13-0001");
  CHECK(n.user_id == cred.user_id);
  CHECK(n.initial_password.empty());
  CHECK(code_of(f.core->designation_notice(f.other_town, designation)) == Errc::NotFound);
  auto idpw = must(f.core->id_password_notice(f.town, cred.user_id));
  CHECK(idpw.user_id == cred.user_id);
  CHECK(idpw.hospital_name == "千代田中央病院");
}

TEST_CASE("ID-9: the public list has the published columns of valid doctors only") {
  CoreFixture f;
  f.doctor("900", kHospital, "公表 一郎");
  DoctorInput old;
  old.name = "期限切れ 医師";
  old.registration_number = "901";
  old.hospital_number = kHospital;
  old.expires_on = "2026-01-31";  // before the fake clock's today
  must(f.core->register_doctor(f.town, old));
  DoctorInput formula;
  formula.name = "=HYPERLINK(\"x\")";
  formula.registration_number = "902";
  formula.hospital_number = kHospital;
  must(f.core->register_doctor(f.town, formula));

  auto csv = must(f.core->export_public_doctor_list(f.town));
  CHECK(
      csv.starts_with("\xEF\xBB\xBF指定医番号,氏名,指定医種別,医療機関名称,医療機関所在地,診療科,"
                      "指定年月日,指定有効期限\r\n"));
  CHECK(csv.find("13-0001,公表 一郎,難病指定医,千代田中央病院,東京都千代田区1-1,神経内科,"
                 "2026-04-01,2031-03-31\r\n") != std::string::npos);
  CHECK(csv.find("期限切れ") == std::string::npos);
  CHECK(csv.find("\"'=HYPERLINK(\"\"x\"\")\"") != std::string::npos);
  CHECK(csv.find("A0000001") == std::string::npos);  // no IDs
  CHECK(csv.find("900") == std::string::npos);       // no 医籍登録番号

  CHECK(must(f.core->export_public_doctor_list(f.other_town)).find("公表") == std::string::npos);
  auto cred = f.doctor("903");
  auto doc = f.activate(cred.user_id, cred.initial_password, kHospital);
  CHECK(code_of(f.core->export_public_doctor_list(doc)) == Errc::Forbidden);
}
