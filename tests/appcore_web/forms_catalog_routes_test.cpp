// Issue 18 over WebApp::dispatch: every disease of the master is searched by
// 告示番号 or name and opens its form screen (the common sheet where no specific
// definition is written, with its tabs, 人工呼吸器 and 添付資料); a common form
// registers with the 医療機関情報 from the doctor's designation; the XML layout
// (XSD) is published without a login.
#include <catch2/catch.hpp>

#include "../appcore_forms/form_cases.h"
#include "appcore/web/form.h"
#include "appcore/web/forms_view.h"
#include "web_fixture.h"

using namespace nanbyo;
using namespace nanbyo::web;
using namespace nanbyo::web::testing;
using appcore::testing::kHospital;
namespace ft = nanbyo::forms::testing;

TEST_CASE("F-1 issue 18: every master disease is found and opens its form screen",
          "[unit][forms]") {
  WebFixture f;
  std::string doctor_id;
  Client doctor = f.active_doctor("518001", &doctor_id);
  auto found = doctor.get("/forms/new?q=110");
  REQUIRE(found.status == 200);
  CHECK(found.body().find("ブラウ症候群") != std::string::npos);
  CHECK(found.body().find("/forms/new?definition=nanbyo-110") != std::string::npos);
  auto by_name = doctor.get("/api/forms/new?q=" + url_encode("胆道閉鎖"));
  REQUIRE(by_name.status == 200);
  const auto diseases = by_name.json()["diseases"];
  bool biliary = false;
  for (const auto& d : diseases) biliary = biliary || d["id"] == "nanbyo-296";
  CHECK(biliary);

  const auto catalog = ft::catalog();
  for (const auto& d : catalog->diseases()) {
    INFO(d.form_id);
    auto screen = doctor.get("/forms/new?definition=" + d.form_id);
    REQUIRE(screen.status == 200);
    const std::string& body = screen.body();
    CHECK(body.find(d.name) != std::string::npos);
    CHECK(body.find("class=\"form-tabs\"") != std::string::npos);
    CHECK(body.find("name=\"v.attachments\"") != std::string::npos);
    CHECK(body.find("name=\"v.ventilator_weaning\"") != std::string::npos);
    CHECK(body.find("name=\"v.vad_use\"") != std::string::npos);
    // 医療機関情報 is shown, not typed.
    CHECK(body.find("name=\"v.doctor_number\"") == std::string::npos);
    CHECK(body.find("id=\"f-doctor_number\"") != std::string::npos);
  }
}

TEST_CASE("F-1 issue 18: a common form registers with the doctor's designation and prints",
          "[unit][forms]") {
  WebFixture f;
  std::string doctor_id;
  Client doctor = f.active_doctor("518002", &doctor_id);
  const auto& def = ft::definition("nanbyo-110");
  REQUIRE(def.layout == "nanbyo-common");
  auto values = ft::complete_values(def);
  values["doctor_number"] = forms::text_value("99-9999");  // typed: ignored as an input?
  auto refused =
      doctor.post_json("/api/forms", {{"definition", def.id}, {"values", values_to_json(values)}});
  REQUIRE(refused.status == 201);
  const std::string id = refused.json()["form"]["form_id"];
  // A stated 指定医番号 that is not the doctor's own refuses the registration.
  CHECK(doctor.post_json("/api/forms/" + id + "/approve", nlohmann::json::object()).status == 400);
  values.erase("doctor_number");
  REQUIRE(doctor.post_json("/api/forms/" + id, {{"values", values_to_json(values)}}).status == 200);
  auto approved = doctor.post_json("/api/forms/" + id + "/approve", nlohmann::json::object());
  INFO(approved.body());
  REQUIRE(approved.status == 200);
  auto shown = doctor.get("/api/forms/" + id).json();
  CHECK_FALSE(shown["values"]["doctor_number"].get<std::string>().empty());
  CHECK_FALSE(shown["values"]["hospital_name"].get<std::string>().empty());
  auto print = doctor.get("/forms/" + id + "/print");
  REQUIRE(print.status == 200);
  CHECK(print.body().find("人工呼吸器に関する事項") != std::string::npos);
  CHECK(print.body().find("添付資料") != std::string::npos);
  auto list = doctor.get("/forms?disease=" + url_encode("ブラウ"));
  REQUIRE(list.status == 200);
  CHECK(list.body().find(id) != std::string::npos);
  CHECK(doctor.get("/forms?disease=" + url_encode("パーキンソン")).body().find(id) ==
        std::string::npos);
}

TEST_CASE("F-9 issue 18: the XML layout is published without a login", "[unit][forms]") {
  WebFixture f;
  Client anyone = f.client();
  auto whole = anyone.get("/forms/layout.xsd");
  REQUIRE(whole.status == 200);
  CHECK(whole.body().find("<xs:element name=\"nanbyo-110\" type=\"form-nanbyo-common\"/>") !=
        std::string::npos);
  CHECK(whole.body().find("<xs:element name=\"nanbyo-006\" type=\"form-nanbyo-006\"/>") !=
        std::string::npos);
  auto one = anyone.get("/forms/layout/shoman-5-001");
  REQUIRE(one.status == 200);
  CHECK(one.body().find("name=\"shoman-5-001\"") != std::string::npos);
  CHECK(one.body().find("人工呼吸器使用情報") != std::string::npos);
  CHECK(anyone.get("/forms/layout/nanbyo-999").status == 404);
  auto page = anyone.get("/forms/layout?q=170");
  REQUIRE(page.status == 200);
  CHECK(page.body().find("/forms/layout/nanbyo-170") != std::string::npos);
}
