// Form versions side by side in the web (issue 18 item 4): a form of the
// previous version shown with its version and the last day it is accepted,
// 更新登録 to the current version naming the items it could not carry, and
// the former version's XSD published beside the current one.
#include <catch2/catch.hpp>

#include "web_fixture.h"

using namespace nanbyo;
using namespace nanbyo::web;
using namespace nanbyo::web::testing;
using appcore::testing::kChosenPassword;
using appcore::testing::kHospital;

namespace {

// A scanned 2024.1 ALS form (F-11): flat items, 医療機関情報 typed on paper.
const char* kAls2024 = R"(<?xml version="1.0" encoding="UTF-8"?>
<forms><nanbyo-002 ref="scan-1" version="2024.1">
<application_type>new</application_type><insured_number>12-345678</insured_number>
<patient_name>難病 花子</patient_name><patient_kana>ナンビョウ ハナコ</patient_kana>
<birth_date>1960-04-01</birth_date><sex>female</sex><family_history>no</family_history>
<adult_onset>yes</adult_onset><progressive>yes</progressive>
<umn_regions><item>cervical</item></umn_regions>
<lmn_regions><item>cervical</item><item>lumbosacral</item></lmn_regions>
<familial_gene>no</familial_gene><differential_excluded>yes</differential_excluded>
<category>definite</category><als_severity>3</als_severity>
<hospital_name>霞が関中央病院</hospital_name><doctor_number>13-0001</doctor_number>
<doctor_name>鈴木 和也</doctor_name><written_on>2026-09-01</written_on>
</nanbyo-002></forms>
)";

bool shows(const Reply& r, const std::string& text) {
  return r.body().find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("a 2024.1 form is shown as 2024.1 and carried over to 2025.1 naming what stays behind",
          "[unit][forms]") {
  WebFixture f;
  Client town = f.town_admin();
  auto started = town.request(http::verb::post, "/api/forms/paper-imports?file=scan-1.xml",
                              kAls2024, "application/xml");
  INFO(started.body());
  REQUIRE(started.status == 202);
  const std::string job = started.json()["job_id"];
  REQUIRE(town.wait_for_job(job)["state"] == "done");
  const auto item = town.get("/api/forms/import-results/" + job).json()["items"][0];
  REQUIRE(item["status"] == "registered");
  const std::string id = item["form_id"], key = item["access_key"];

  auto api = town.get("/api/forms/" + id).json()["form"];
  CHECK(api["version"] == "2024.1");
  CHECK(api["version_accepted_until"] == "2027-11-30");
  CHECK(shows(town.get("/forms/" + id), "2024.1（旧様式: 2027-11-30 まで受付）"));

  // The patient's doctor finds it by access key and starts next year's form.
  std::string doctor_id;
  Client doctor = f.active_doctor("510001", &doctor_id);
  REQUIRE(doctor.post_json("/api/forms/access-key", {{"access_key", key}}).status == 200);
  auto old_page = doctor.get("/forms/" + id);
  CHECK(shows(old_page, "id=\"form-version\" class=\"mono\">2024.1（旧様式"));
  auto carried = doctor.post_form("/forms/" + id + "/carry-over", {});
  REQUIRE(carried.status == 303);
  const std::string location = carried.header("Location");
  INFO(location);
  CHECK(location.find("?done=carried&not_carried=hospital_name,doctor_number,doctor_name") !=
        std::string::npos);
  auto next = doctor.get(location);
  REQUIRE(next.status == 200);
  CHECK(shows(next, "引き継げなかった項目: 医療機関名、指定医番号、指定医氏名"));
  CHECK(shows(next, "id=\"form-version\" class=\"mono\">2025.1</td>"));
  CHECK(shows(next, "name=\"v.attachments\""));  // 2025.1's items are entered
  CHECK_FALSE(shows(next, "旧様式"));
  // The notice names only items of the form: nothing from the address is repeated.
  auto forged = doctor.get(location.substr(0, location.find('?')) +
                           "?done=carried&not_carried=hospital_name,%E5%81%BD%E3%82%8A");
  CHECK(shows(forged, "引き継げなかった項目: 医療機関名<"));
  CHECK_FALSE(shows(forged, "偽り"));
}

TEST_CASE("the layout page publishes the former version's XSD while it is accepted",
          "[unit][forms]") {
  WebFixture f;
  Client anyone = f.client();
  auto page = anyone.get("/forms/layout");
  REQUIRE(page.status == 200);
  CHECK(shows(page, "旧様式（移行期間中）"));
  CHECK(shows(page, "/forms/layout/nanbyo-002?version=2024.1"));
  CHECK(shows(page, "2027-11-30"));
  auto old = anyone.get("/forms/layout/nanbyo-002?version=2024.1");
  REQUIRE(old.status == 200);
  CHECK(shows(old, "(version 2024.1)"));
  CHECK_FALSE(shows(old, "name=\"attachments\""));
  CHECK(old.header("Content-Disposition").find("nanbyo-002-2024.1.xsd") != std::string::npos);
  CHECK(shows(anyone.get("/forms/layout/nanbyo-002"), "name=\"attachments\""));
  CHECK(anyone.get("/forms/layout/nanbyo-002?version=1999.1").status == 404);
  auto whole = anyone.get("/forms/layout.xsd?version=2024.1");
  REQUIRE(whole.status == 200);
  CHECK(shows(whole, "<xs:element name=\"shoman-5-091\" type=\"form-shoman-5-091\"/>"));
  CHECK_FALSE(shows(whole, "nanbyo-110"));
  auto listed = anyone.get("/api/forms/layout").json()["previous_versions"];
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["version"] == "2024.1");
  CHECK(listed[0]["forms"].size() == 5);
}
