// The clinical-form screens and API (issue 6) over WebApp::dispatch: role and
// scope of each route, CSRF on every POST, check messages next to highlighted
// fields, the judgment panel, auto-calculation, the workflow to registration,
// access-key lookup by the municipality and the masked print.
#include <catch2/catch.hpp>

#include "../appcore_forms/disease_cases.h"
#include "../appcore_forms/form_cases.h"
#include "appcore/web/forms_view.h"
#include "web_fixture.h"

using namespace nanbyo;
using namespace nanbyo::web;
using namespace nanbyo::web::testing;
using appcore::testing::kChosenPassword;
using appcore::testing::kHospital;
using appcore::testing::must;
namespace ft = nanbyo::forms::testing;

namespace {

struct FormsWeb {
  WebFixture f;
  std::string doctor_id, clerk_id;
  Client doctor = f.active_doctor("510001", &doctor_id);
  Client clerk = f.active_clerk(doctor_id, "事務 花子", "ジム ハナコ", &clerk_id);
  std::string draft(Client& c, const nlohmann::json& values) {
    auto r = c.post_json("/api/forms", {{"definition", "nanbyo-006"}, {"values", values}});
    INFO(r.body());
    REQUIRE(r.status == 201);
    return r.json()["form"]["form_id"];
  }
};

// The API's values of a complete パーキンソン病 form.
nlohmann::json complete_parkinson() {
  return values_to_json(ft::parkinson_definite());
}

}  // namespace

TEST_CASE("form routes: roles and CSRF", "[unit][forms]") {
  FormsWeb w;
  const auto id = w.draft(w.clerk, {{"patient_name", "山田 花子"}});
  auto town = w.f.town_admin();
  // Hospital screens are not the municipality's.
  CHECK(town.get("/api/forms").status == 403);
  CHECK(town.get("/forms/new").status == 403);
  CHECK(town.post_json("/api/forms", {{"definition", "nanbyo-006"}}).status == 403);
  // Only doctors approve and see the approval list.
  CHECK(w.clerk.post_json("/api/forms/" + id + "/approve", nlohmann::json::object()).status == 403);
  CHECK(w.clerk.get("/forms/approvals").status == 403);
  // Only the municipality records certification.
  CHECK(w.doctor.post_json("/api/forms/" + id + "/municipality", {{"certification", "approved"}})
            .status == 403);
  // CSRF on every POST, JSON and HTML alike.
  CHECK(w.clerk.post_json("/api/forms", {{"definition", "nanbyo-006"}}, false).status == 403);
  CHECK(w.clerk.post_form("/forms", {{"definition", "nanbyo-006"}}, false).status == 403);
  CHECK(w.clerk.post_form("/forms/" + id + "/submit", {{"doctor", w.doctor_id}}, false).status ==
        403);
  CHECK(w.doctor.post_form("/forms/" + id + "/approve", {}, false).status == 403);
  CHECK(town.post_form("/forms/access-key", {{"access_key", "x"}}, false).status == 403);
  CHECK(w.doctor.post_json("/api/forms/approve-all", {{"form_ids", {id}}}, false).status == 403);
  CHECK(w.f.client().get("/api/forms/" + id).status == 401);
}

TEST_CASE("check messages name the field and highlight it, judgment panel", "[unit][forms]") {
  FormsWeb w;
  auto r = w.clerk.post_form("/forms", {{"definition", "nanbyo-006"},
                                        {"v.patient_kana", "yamada"},
                                        {"v.category", "definite"},
                                        {"action", "check"}});
  REQUIRE(r.status == 303);
  const std::string location = r.header("Location");
  CHECK(location.find("done=checked") != std::string::npos);
  auto page = w.clerk.get(location.substr(0, location.find('#')));
  REQUIRE(page.status == 200);
  const auto& html = page.body();
  CHECK(html.find("class=\"field invalid\" id=\"w-patient_kana\"") != std::string::npos);
  CHECK(html.find("aria-invalid=\"true\" aria-describedby=\"err-patient_kana\"") !=
        std::string::npos);
  CHECK(html.find("id=\"err-patient_kana\"") != std::string::npos);
  CHECK(html.find("氏名（カナ）") != std::string::npos);
  CHECK(html.find("id=\"check-result\"") != std::string::npos);
  CHECK(html.find("class=\"judgment-panel\"") != std::string::npos);
  CHECK(html.find("機械判定") != std::string::npos);
  CHECK(html.find("不整合") != std::string::npos);  // Definite entered without the findings
  // The severity is computed only here: nothing entered, nothing called consistent.
  CHECK(html.find("－（比較なし）") != std::string::npos);
}

TEST_CASE("auto-calculation fills the calculated fields without saving", "[unit][forms]") {
  FormsWeb w;
  auto r = w.doctor.post_form("/forms", {{"definition", "shoman-5-091"},
                                         {"v.height_cm", "130"},
                                         {"v.weight_kg", "30"},
                                         {"action", "calculate"}});
  REQUIRE(r.status == 200);
  CHECK(r.body().find("name=\"v.bmi\" type=\"text\" inputmode=\"decimal\" class=\"short\" "
                      "value=\"17.8\"") != std::string::npos);
  auto api =
      w.doctor.post_json("/api/forms", {{"definition", "shoman-5-091"},
                                        {"action", "calculate"},
                                        {"values", {{"height_cm", "130"}, {"weight_kg", "30"}}}});
  REQUIRE(api.status == 200);
  CHECK(api.json()["values"]["bmi"] == "17.8");
  CHECK(w.doctor.get("/api/forms").json()["forms"].empty());
}

TEST_CASE("clerk drafts, doctor approves, municipality looks up and prints masked",
          "[unit][forms]") {
  FormsWeb w;
  auto values = complete_parkinson();
  values.erase("hoehn_yahr");
  const auto id = w.draft(w.clerk, values);
  REQUIRE(w.clerk
              .post_form("/forms/" + id + "/submit",
                         {{"doctor", w.doctor_id}, {"comment", "ご確認ください"}})
              .status == 303);
  auto list = w.doctor.get("/forms/approvals");
  REQUIRE(list.status == 200);
  CHECK(list.body().find(id) != std::string::npos);
  // Missing item: registration refused, the doctor sees it highlighted.
  CHECK(w.doctor.post_json("/api/forms/" + id + "/approve", nlohmann::json::object()).status ==
        400);
  CHECK(w.doctor.get("/forms/" + id).body().find("id=\"err-hoehn_yahr\"") != std::string::npos);
  values["hoehn_yahr"] = "3";
  REQUIRE(w.doctor.post_json("/api/forms/" + id, {{"values", values}}).status == 200);
  auto all = w.doctor.post_json("/api/forms/approve-all", {{"form_ids", {id}}});
  REQUIRE(all.status == 200);
  REQUIRE(all.json()["results"][0]["ok"] == true);
  const std::string key = all.json()["results"][0]["access_key"];
  auto hist = w.doctor.get("/api/forms/" + id + "/history");
  CHECK(hist.json()["history"].size() >= 3);
  auto print = w.doctor.get("/forms/" + id + "/print");
  REQUIRE(print.status == 200);
  CHECK(print.body().find(key) != std::string::npos);
  CHECK(print.body().find("難病 花子") != std::string::npos);

  auto town = w.f.town_admin();
  CHECK(town.get("/forms/" + id).status >= 400);  // no grant before the lookup
  auto found = town.post_form("/forms/access-key", {{"access_key", key}});
  REQUIRE(found.status == 303);
  auto view = town.get("/forms/" + id);
  REQUIRE(view.status == 200);
  CHECK(view.body().find("認定結果等の記録") != std::string::npos);
  CHECK(view.body().find("class=\"judgment-panel\"") != std::string::npos);
  REQUIRE(town.post_form("/forms/" + id + "/municipality", {{"certification", "approved"},
                                                            {"research_consent", "yes"},
                                                            {"income_category", "一般所得I"}})
              .status == 303);
  auto masked = town.get("/forms/" + id + "/print");
  REQUIRE(masked.status == 200);
  CHECK(masked.body().find("＊＊＊") != std::string::npos);
  CHECK(masked.body().find("難病 花子") == std::string::npos);
  CHECK(town.get("/api/forms/" + id).json()["municipality"]["certification"] == "approved");

  // Carry-over (F-5) with the 差異 panel.
  auto carried = w.doctor.post_form("/forms/" + id + "/carry-over", {});
  REQUIRE(carried.status == 303);
  auto next = w.doctor.get(carried.header("Location"));
  CHECK(next.body().find("前回からの差異") != std::string::npos);
}

TEST_CASE("another hospital's doctor by access key, XML export and upload refusals",
          "[unit][forms]") {
  FormsWeb w;
  const auto id = w.draft(w.doctor, complete_parkinson());
  auto reg = w.doctor.post_json("/api/forms/" + id + "/approve", nlohmann::json::object());
  REQUIRE(reg.status == 200);
  const std::string key = reg.json()["form"]["access_key"];
  auto xml = w.doctor.get("/forms/" + id + "/export.xml");
  REQUIRE(xml.status == 200);
  CHECK(xml.body().find("<nanbyo-006") != std::string::npos);
  CHECK(w.doctor.get("/forms/xsd").body().find("xs:schema") != std::string::npos);

  auto cred = w.f.doctor("510003", appcore::testing::kOtherHospital, "佐藤 一郎");
  w.f.activate(cred.user_id, cred.initial_password, appcore::testing::kOtherHospital);
  Client other = w.f.client(appcore::testing::kOtherHospital);
  REQUIRE(other.api_login(cred.user_id, kChosenPassword) == "active");
  CHECK(other.get("/api/forms/" + id).status >= 400);
  CHECK(other.post_json("/api/forms/access-key", {{"access_key", "0000-0000-0000-0000"}}).status >=
        400);
  auto found = other.post_json("/api/forms/access-key", {{"access_key", key}});
  INFO(found.body());
  REQUIRE(found.status == 200);
  CHECK(found.json()["form"]["form_id"] == id);
  CHECK(other.get("/forms/" + id).body().find("更新登録") != std::string::npos);
  CHECK(other.get("/forms/" + id + "/export.xml").status == 200);

  // F-9 upload: doctors only, CSRF, and a file that is not a sealed batch is refused.
  CHECK(w.clerk.request(http::verb::post, "/api/forms/imports", "x", "application/octet-stream")
            .status == 403);
  CHECK(w.doctor
            .request(http::verb::post, "/api/forms/imports", "x", "application/octet-stream", false)
            .status == 403);
  // A file that is not a batch: the job fails (form_upload_jobs_test.cpp).
  CHECK(w.doctor.get("/forms/imports/new").body().find("form-import") != std::string::npos);
}

TEST_CASE("F-11: the municipality imports a scanned paper form as XML", "[unit][forms]") {
  FormsWeb w;
  const auto id = w.draft(w.doctor, complete_parkinson());
  const std::string xml = w.doctor.get("/forms/" + id + "/export.xml").body();
  Client town = w.f.town_admin();
  // The screen, in the municipality's menu; hospitals cannot use this path.
  auto screen = town.get("/forms/paper-imports/new");
  REQUIRE(screen.status == 200);
  CHECK(screen.body().find("紙の個人票の取込") != std::string::npos);
  CHECK(w.doctor.request(http::verb::post, "/api/forms/paper-imports", xml, "application/xml")
            .status == 403);
  CHECK(town.request(http::verb::post, "/api/forms/paper-imports", xml, "application/xml", false)
            .status == 403);  // no CSRF token

  // The import runs as a job (issue 18); its result is the municipality's own.
  auto finished = [&town](const Reply& started) {
    INFO(started.body());
    REQUIRE(started.status == 202);
    const std::string job = started.json()["job_id"];
    return std::pair{job, town.wait_for_job(job)};
  };
  auto [job, state] = finished(town.request(
      http::verb::post, "/api/forms/paper-imports?file=scan-0001.xml", xml, "application/xml"));
  REQUIRE(state["state"] == "done");
  CHECK(state["imported"] == 1);
  auto out = town.get("/api/forms/import-results/" + job);
  REQUIRE(out.status == 200);
  const auto item = out.json()["items"][0];
  CHECK(item["file"] == "scan-0001.xml");
  CHECK(item["status"] == "registered");
  CHECK(item["result"] == "登録");
  const std::string key = item["access_key"];
  CHECK(key.size() == 19);
  // The municipality opens it and prints it masked (F-10).
  const std::string form_id = item["form_id"];
  CHECK(town.get("/forms/" + form_id + "/print?masked=1").status == 200);
  auto [broken_job, broken] =
      finished(town.request(http::verb::post, "/api/forms/paper-imports?file=b.xml",
                            xml.substr(0, 100), "application/xml"));
  CHECK(broken["state"] == "failed");
  CHECK(broken["error"].get<std::string>().find("b.xml") != std::string::npos);
  CHECK(town.get("/forms/import-results/" + broken_job).status == 400);
}

TEST_CASE("each specific definition renders empty and filled, judged and printable",
          "[unit][forms]") {
  FormsWeb w;
  for (const auto& [id, values] : ft::specific_disease_samples()) {
    INFO(id);
    const auto& def = ft::definition(id);
    auto blank = w.doctor.get("/forms/new?definition=" + id);
    REQUIRE(blank.status == 200);
    CHECK(blank.body().find(def.title) != std::string::npos);
    for (const auto& field : def.fields) {
      INFO(field.id);
      CHECK(blank.body().find("id=\"w-" + field.id + "\"") != std::string::npos);
    }
    auto saved =
        w.doctor.post_json("/api/forms", {{"definition", id}, {"values", values_to_json(values)}});
    REQUIRE(saved.status == 201);
    const std::string form_id = saved.json()["form"]["form_id"];
    auto page = w.doctor.get("/forms/" + form_id);
    REQUIRE(page.status == 200);
    CHECK(page.body().find("class=\"field invalid\"") == std::string::npos);
    CHECK(page.body().find("class=\"judgment-panel\"") != std::string::npos);
    CHECK(page.body().find("class=\"inconsistent\"") == std::string::npos);
    auto print = w.doctor.get("/forms/" + form_id + "/print");
    REQUIRE(print.status == 200);
    CHECK(print.body().find(def.title) != std::string::npos);
  }
}
