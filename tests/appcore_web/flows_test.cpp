// The ID flows through the HTTP layer: first login with the key file mailed
// (ID-4), extension and transfer-out reaching the gateway (ID-5, ID-6, S-8),
// bulk registration with progress and per-row results (ID-2), notices (ID-3).
#include <catch2/catch.hpp>

#include "pki/user_key_file.h"
#include "web_fixture.h"

using namespace nanbyo;
using namespace nanbyo::web;
using namespace nanbyo::web::testing;
using appcore::testing::kChosenPassword;
using appcore::testing::kHospital;

TEST_CASE("first login over the API mails the key file, then the password is replaced", "[ID-4]") {
  WebFixture f;
  auto cred = f.doctor("300001");
  auto c = f.client(kHospital);
  REQUIRE(c.api_login(cred.user_id, cred.initial_password) == "register-email");
  CHECK(c.post_json("/api/setup/email", {{"email", "bad address"}}).status == 400);
  auto email = c.post_json("/api/setup/email", {{"email", "dr.yamada@example.jp"}});
  INFO(email.body());
  REQUIRE(email.status == 200);
  CHECK(email.json()["setup_step"] == "set-password");
  REQUIRE(f.mailer.sent.size() == 1);
  const auto& mail = f.mailer.sent[0];
  CHECK(mail.to == "dr.yamada@example.jp");
  REQUIRE(mail.attachments.size() == 1);
  auto key = pki::parse_key_file(mail.attachments[0].data);
  REQUIRE(key.ok());
  CHECK(key->user_id == cred.user_id);

  auto weak =
      c.post_json("/api/setup/password",
                  {{"secret_question", "q"}, {"secret_answer", "a"}, {"new_password", "short"}});
  CHECK(weak.status == 400);
  auto done = c.post_json("/api/setup/password", {{"secret_question", "好きな花"},
                                                  {"secret_answer", "さくら"},
                                                  {"new_password", kChosenPassword}});
  REQUIRE(done.status == 200);
  CHECK(done.json()["setup_step"] == "active");
  CHECK(c.get("/api/affiliations").status == 200);
}

TEST_CASE("a failed mail leaves the user able to retry", "[ID-4]") {
  WebFixture f;
  auto cred = f.doctor("300002");
  auto c = f.client(kHospital);
  REQUIRE(c.api_login(cred.user_id, cred.initial_password) == "register-email");
  f.mailer.fail_next = true;
  auto r = c.post_json("/api/setup/email", {{"email", "a@example.jp"}});
  CHECK(r.status == 500);
  CHECK(f.audited("user-key-mail", audit::Outcome::Deny, cred.user_id));  // issue 12
  // The key was generated but not delivered: a new one can be sent before
  // the password step is completed.
  CHECK(c.get("/api/setup").json()["setup_step"] == "set-password");
  auto retry = c.post_json("/api/setup/key", nlohmann::json::object());
  INFO(retry.body());
  CHECK(retry.status == 200);
  CHECK(f.mailer.sent.size() == 1);
}

TEST_CASE("validity extension revokes, ends the session here and at the gateway", "[ID-5]") {
  WebFixture f;
  std::string doctor_id;
  auto doctor = f.active_doctor("400001", &doctor_id);
  auto town = f.town_admin();
  const std::string designation = f.designation_of(doctor_id);
  auto r = town.post_json("/api/designations/" + designation + "/extend",
                          {{"expires_on", "2036-03-31"}});
  INFO(r.body());
  REQUIRE(r.status == 200);
  CHECK(r.json()["gateway_told"] == true);
  CHECK(r.json()["ended_sessions"].get<int>() >= 1);
  CHECK(f.gateway.revoked == std::vector<std::string>{doctor_id});
  CHECK(doctor.get("/api/affiliations").status == 401);
  CHECK(town.get("/api/doctors/" + doctor_id).json()["designations"][0]["expires_on"] ==
        "2036-03-31");
  // The next login repeats the key steps (ID-4).
  auto again = f.client(kHospital);
  CHECK(again.api_login(doctor_id, kChosenPassword) != "active");
}

TEST_CASE("transfer-out deletes the ID and reaches the gateway", "[ID-6]") {
  WebFixture f;
  std::string doctor_id;
  auto doctor = f.active_doctor("400002", &doctor_id);
  auto town = f.town_admin();
  auto r = town.post_json("/api/designations/" + f.designation_of(doctor_id) + "/end",
                          nlohmann::json::object());
  REQUIRE(r.status == 200);
  CHECK(r.json()["id_deleted"] == true);
  CHECK(f.gateway.revoked == std::vector<std::string>{doctor_id});
  CHECK(doctor.get("/api/affiliations").status == 401);
  CHECK(town.get("/api/doctors/" + doctor_id).status == 404);
}

TEST_CASE("bulk registration runs as a job with progress and per-row results", "[ID-2]") {
  WebFixture f;
  auto town = f.town_admin();
  const std::string csv =
      "氏名,氏名カナ,医籍登録番号,指定医種別,医療機関番号,医療機関名称,医療機関所在地,診療科,"
      "指定年月日,指定有効期限,指定医番号\r\n"
      "山田 太郎,ヤマダ "
      "タロウ,500001,難病指定医,1310000001,千代田中央病院,東京都千代田区1-1,内科,2026-04-01,2031-"
      "03-31,13-1001\r\n"
      "鈴木 花子,スズキ "
      "ハナコ,,難病指定医,1310000001,千代田中央病院,東京都千代田区1-1,内科,2026-04-01,2031-03-31,"
      "13-1002\r\n";
  auto start = town.request(http::verb::post, "/api/imports", csv, "text/csv");
  INFO(start.body());
  REQUIRE(start.status == 202);
  const std::string job = start.json()["job_id"];
  const nlohmann::json state = town.wait_for_job(job);
  INFO(state.dump());
  REQUIRE(state["state"] == "done");
  CHECK(state["issued"] == 1);
  CHECK(state["invalid"] == 1);
  auto csv_result = town.get("/imports/" + job + "/result.csv");
  CHECK(csv_result.status == 200);
  CHECK(csv_result.header("Content-Disposition").find("attachment") == 0);
  auto page = town.get("/imports/" + job);
  CHECK(page.body().find("エラーのあった行") != std::string::npos);
  // Nobody else sees the job.
  auto other = f.client();
  REQUIRE(other.api_login(f.other_town.user_id, kChosenPassword) == "active");
  CHECK(other.get("/api/imports/" + job).status == 404);
}

TEST_CASE("the registration page prints both notices with the seed's items", "[ID-3]") {
  WebFixture f;
  auto town = f.client();
  town.get("/login");
  REQUIRE(town.post_form("/login", {{"user_id", f.town_admin_id}, {"password", kChosenPassword}})
              .status == 303);
  auto r = town.post_form("/doctors", {{"name", "田中 三郎"},
                                       {"kana", "タナカ サブロウ"},
                                       {"registration_number", "600001"},
                                       {"kind", "nanbyo-doctor"},
                                       {"hospital_number", kHospital},
                                       {"hospital_name", "千代田中央病院"},
                                       {"hospital_address", "東京都千代田区1-1"},
                                       {"department", "神経内科"},
                                       {"designated_on", "2026-04-01"},
                                       {"expires_on", "2031-03-31"},
                                       {"doctor_number", "13-0099"}});
  INFO(r.body());
  REQUIRE(r.status == 201);
  for (const char* item :
       {"指定通知書", "① 医師氏名", "② 主に従事する医療機関の名称",
        "② 主に従事する医療機関の所在地", "③ 所属する診療科名", "④ 指定年月日", "④ 指定有効期限",
        "⑤ 指定医番号", "⑥ 新システムを利用するためのID", "⑥ 新システムを利用するためのパスワード",
        "ID・パスワード発行通知書", "田中 三郎", "2031年3月31日", "data-print"}) {
    INFO(item);
    CHECK(r.body().find(item) != std::string::npos);
  }
}
