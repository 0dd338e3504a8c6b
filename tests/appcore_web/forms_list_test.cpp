// The forms list doctors and clerks work from (F-12, issue 18): the seed's
// columns, the operations each row offers, filters, sorting and pages.
#include <catch2/catch.hpp>

#include "../appcore_forms/form_cases.h"
#include "appcore/web/forms_view.h"
#include "web_fixture.h"

using namespace nanbyo;
using namespace nanbyo::web;
using namespace nanbyo::web::testing;
using appcore::testing::kChosenPassword;
namespace ft = nanbyo::forms::testing;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

struct ListWeb {
  WebFixture f;
  std::string doctor_id;
  Client doctor = f.active_doctor("520001", &doctor_id);

  std::string draft(const std::string& kana, const std::string& application_type) {
    auto values = values_to_json(ft::parkinson_definite());
    values["patient_kana"] = kana;
    values["application_type"] = application_type;
    auto r = doctor.post_json("/api/forms", {{"definition", "nanbyo-006"}, {"values", values}});
    INFO(r.body());
    REQUIRE(r.status == 201);
    return r.json()["form"]["form_id"];
  }
};

}  // namespace

TEST_CASE("F-12 the forms list has the seed's columns and each row's operations", "[forms]") {
  ListWeb w;
  const auto id = w.draft("ヤマダ ハナコ", "new");
  REQUIRE(w.doctor.post_json("/api/forms/" + id + "/approve", nlohmann::json::object()).status ==
          200);
  w.draft("タナカ タロウ", "renewal");
  auto list = w.doctor.get("/forms");
  REQUIRE(list.status == 200);
  const std::string& html = list.body();
  for (const char* column :
       {"申請種別", "保険者番号/", "アクセスキー", "氏名カナ", "生年月日", "性別", "告示番号/病名",
        "指定医氏名", "作成年月日/自治体連携日", "ステータス/登録種別", "操作"}) {
    CHECK(html.find(std::string(">") + column) != std::string::npos);
  }
  CHECK(html.find("検索結果件数 2件") != std::string::npos);
  CHECK(html.find("6/ パーキンソン病") != std::string::npos);
  CHECK(html.find("画面") != std::string::npos);
  // 閲覧 and データ出力 on every row; 更新登録 and 解除 only on the registered one.
  CHECK(count(html, ">閲覧</a>") == 2);
  CHECK(count(html, ">データ出力</a>") == 2);
  CHECK(count(html, "/carry-over\"") == 1);
  CHECK(count(html, "/cancel\"") == 1);
  CHECK(count(html, "<form") == count(html, "name=\"_csrf\"") + 2);  // the two GET forms
  // 申請種別 filters.
  auto renewals = w.doctor.get("/api/forms?application_type=renewal").json();
  REQUIRE(renewals["forms"].size() == 1);
  CHECK(renewals["forms"][0]["patient_kana"] == "タナカ タロウ");
  CHECK(renewals["forms"][0]["notice"] == "6");
  CHECK(renewals["forms"][0]["source"] == "web");
}

TEST_CASE("F-12 the forms list sorts by a column and pages by 表示件数", "[forms]") {
  ListWeb w;
  for (int i = 0; i < 23; ++i) {
    w.draft("カナ " + std::to_string(i), i % 2 ? "renewal" : "new");
    w.f.clock.advance(std::chrono::seconds(60));
  }
  auto first = w.doctor.get("/api/forms?per_page=10").json();
  CHECK(first["total"] == 23);
  REQUIRE(first["forms"].size() == 10);
  CHECK(first["forms"][0]["patient_kana"] == "カナ 22");  // newest change first
  auto third = w.doctor.get("/api/forms?per_page=10&page=3").json();
  REQUIRE(third["forms"].size() == 3);
  CHECK(third["forms"][2]["patient_kana"] == "カナ 0");
  auto oldest = w.doctor.get("/api/forms?per_page=10&sort=created&order=asc").json();
  CHECK(oldest["forms"][0]["patient_kana"] == "カナ 0");
  // A page past the end shows the last; a per_page the list does not offer is 20.
  CHECK(w.doctor.get("/api/forms?per_page=10&page=99").json()["page"] == 3);
  CHECK(w.doctor.get("/api/forms?per_page=7").json()["per_page"] == 20);
  auto html = w.doctor.get("/forms?per_page=10&page=2").body();
  CHECK(html.find("aria-current=\"page\">2<") != std::string::npos);
  CHECK(html.find("rel=\"next\"") != std::string::npos);
  CHECK(html.find("rel=\"prev\"") != std::string::npos);
  CHECK(html.find("検索結果件数 23件") != std::string::npos);
}
