// The HTTP layer over the real core: gateway identity, sessions and cookies,
// CSRF, security headers, and precise errors for bad input.
#include <catch2/catch.hpp>

#include "web_fixture.h"

using namespace nanbyo;
using namespace nanbyo::web;
using namespace nanbyo::web::testing;
using appcore::testing::kChosenPassword;
using appcore::testing::kHospital;
using appcore::testing::kOtherHospital;

TEST_CASE("requests without the gateway's identity headers are refused", "[identity]") {
  WebFixture f;
  auto c = f.client();
  c.send_gateway_headers = false;
  auto r = c.get("/api/me");
  CHECK(r.status == 403);
  CHECK(r.json()["error"]["code"] == "not-via-gateway");
  auto page = c.get("/login");
  CHECK(page.status == 403);
  CHECK(page.body().find("ゲートウェイ経由") != std::string::npos);

  Request direct{http::verb::get, "/login", 11};
  direct.set("X-Nanbyo-Listener", "hospital");
  direct.set("X-Request-Id", "x");
  direct.set("X-Forwarded-For", "203.0.113.5");
  direct.set("X-Forwarded-Proto", "https");
  CHECK(f.app->dispatch(direct, Peer{false, "203.0.113.5:4000"}).result_int() == 403);
  CHECK(f.app->dispatch(direct, Peer{true, "unix"}).result_int() == 200);
}

TEST_CASE("every response carries the security headers and the request id", "[headers]") {
  WebFixture f;
  auto c = f.client();
  for (const char* target : {"/login", "/api/me", "/nowhere", "/static/app.css"}) {
    auto r = c.get(target);
    INFO(target);
    CHECK(r.header("Content-Security-Policy").find("script-src 'self'") != std::string::npos);
    CHECK(r.header("Content-Security-Policy").find("'unsafe-inline'") == std::string::npos);
    CHECK(r.header("X-Frame-Options") == "DENY");
    CHECK(r.header("Referrer-Policy") == "no-referrer");
    CHECK(r.header("X-Content-Type-Options") == "nosniff");
    CHECK(r.header("X-Request-Id") == "test-1");
  }
  CHECK(c.get("/login").header("Cache-Control") == "no-store");
  CHECK(c.get("/nowhere").status == 404);
  CHECK(c.get("/nowhere").header("Content-Type").starts_with("text/html"));
  CHECK(c.get("/api/nowhere").json()["error"]["code"] == "not-found");
  CHECK(c.request(http::verb::delete_, "/login").status == 405);
}

TEST_CASE("form login: CSRF double-submit, __Host- cookies, session header for the gateway",
          "[session]") {
  WebFixture f;
  auto c = f.client();
  auto page = c.get("/login");
  REQUIRE(page.status == 200);
  REQUIRE_FALSE(c.csrf.empty());
  CHECK(page.body().find("name=\"_csrf\" value=\"" + c.csrf + "\"") != std::string::npos);
  CHECK(page.body().find("lang=\"ja\"") != std::string::npos);

  auto no_token =
      c.post_form("/login", {{"user_id", f.town_admin_id}, {"password", kChosenPassword}}, false);
  CHECK(no_token.status == 403);
  auto wrong = c.post_form("/login", {{"user_id", f.town_admin_id}, {"password", "nope"}});
  CHECK(wrong.status == 401);
  CHECK(wrong.body().find("IDまたはパスワードが正しくないか") != std::string::npos);

  auto ok = c.post_form("/login", {{"user_id", f.town_admin_id}, {"password", kChosenPassword}});
  REQUIRE(ok.status == 303);
  CHECK(ok.header("Location") == "/");
  bool saw_session = false;
  for (auto it = ok.raw.find(http::field::set_cookie);
       it != ok.raw.end() && it->name() == http::field::set_cookie; ++it) {
    std::string v(it->value());
    if (!v.starts_with("__Host-nanbyo-session=")) continue;
    saw_session = true;
    CHECK(v.find("Secure") != std::string::npos);
    CHECK(v.find("HttpOnly") != std::string::npos);
    CHECK(v.find("SameSite=Strict") != std::string::npos);
    CHECK(v.find("Path=/") != std::string::npos);
  }
  CHECK(saw_session);
  const std::string issued = std::to_string(f.clock.now().time_since_epoch().count());
  CHECK(ok.header("X-Nanbyo-Session") == "user=" + f.town_admin_id + "; issued=" + issued);
  auto menu = c.get("/");
  CHECK(menu.status == 200);
  CHECK(menu.header("X-Nanbyo-Session") == "user=" + f.town_admin_id + "; issued=" + issued);

  auto out = c.post_form("/logout", {});
  CHECK(out.status == 303);
  CHECK(c.get("/").header("Location") == "/login?expired=1");
  CHECK(c.get("/api/me").status == 401);
}

TEST_CASE("state-changing API calls need the session's CSRF token", "[csrf]") {
  WebFixture f;
  auto c = f.town_admin();
  const nlohmann::json doctor = {{"name", "佐藤 一郎"},
                                 {"registration_number", "123456"},
                                 {"kind", "nanbyo-doctor"},
                                 {"hospital_number", kHospital},
                                 {"hospital_name", "千代田中央病院"},
                                 {"hospital_address", "東京都"},
                                 {"department", "内科"},
                                 {"designated_on", "2026-04-01"},
                                 {"expires_on", "2031-03-31"},
                                 {"doctor_number", "13-0002"}};
  auto missing = c.post_json("/api/doctors", doctor, false);
  CHECK(missing.status == 403);
  CHECK(missing.json()["error"]["code"] == "csrf");
  const std::string good = c.csrf;
  c.csrf = std::string(64, '0');
  CHECK(c.post_json("/api/doctors", doctor).status == 403);
  c.csrf = good;
  auto created = c.post_json("/api/doctors", doctor);
  INFO(created.body());
  REQUIRE(created.status == 201);
  CHECK(created.json()["status"] == "issued");
  CHECK(created.json()["credential"]["initial_password"].get<std::string>().size() >= 12);

  SECTION("the same designation again issues nothing") {
    auto again = c.post_json("/api/doctors", doctor);
    CHECK(again.status == 200);
    CHECK(again.json()["status"] == "already-registered");
    CHECK(again.json()["user_id"] == created.json()["user_id"]);
  }
  SECTION("another municipality adds its 小慢 designation to the same ID") {
    auto other = f.client();
    REQUIRE(other.api_login(f.other_town.user_id, kChosenPassword) == "active");
    auto shoman = doctor;
    shoman["kind"] = "pediatric-doctor";
    shoman["doctor_number"] = "27-S-1";
    auto added = other.post_json("/api/doctors", shoman);
    INFO(added.body());
    REQUIRE(added.status == 201);
    CHECK(added.json()["status"] == "designation-added");
    CHECK(added.json()["user_id"] == created.json()["user_id"]);
    CHECK_FALSE(added.json().contains("credential"));
    CHECK(added.json()["notice"]["kind"] == "小慢指定医");
    const std::string id = added.json()["user_id"];
    auto seen = other.get("/api/doctors/" + id).json()["designations"];
    REQUIRE(seen.size() == 1);
    CHECK(seen[0]["kind"] == "pediatric-doctor");
    CHECK(other.get("/api/designations/" + seen[0]["id"].get<std::string>() + "/notice").status ==
          200);
    const std::string town_designation = f.designation_of(id);
    CHECK(other.get("/api/designations/" + town_designation + "/notice").status == 404);
  }
  SECTION("/api/login needs JSON, not a form a foreign site could post") {
    auto other = f.client();
    auto r = other.post_form("/api/login", {{"user_id", "x"}, {"password", "y"}}, false);
    CHECK(r.status == 415);
  }
}

TEST_CASE("bad input gets a precise error", "[input]") {
  WebFixture f;
  auto c = f.town_admin();
  auto r = c.post_json("/api/doctors", {{"name", ""}, {"registration_number", "1"}});
  CHECK(r.status == 400);
  CHECK(r.json()["error"]["code"] == "invalid-input");
  CHECK(r.json()["error"]["message"].get<std::string>().find("入力内容に誤りがあります") == 0);
  auto bad_json = c.request(http::verb::post, "/api/doctors", "{not json", "application/json");
  CHECK(bad_json.status == 400);
  CHECK(bad_json.json()["error"]["code"] == "bad-body");
  auto bad_type = c.request(http::verb::post, "/api/doctors", "<x/>", "application/xml");
  CHECK(bad_type.status == 400);
  auto bad_form =
      c.request(http::verb::post, "/doctors", "a=%zz", "application/x-www-form-urlencoded");
  CHECK(bad_form.status == 400);
  CHECK(c.get("/api/doctors/Z9999999").status == 404);
}

TEST_CASE("role checks: each area refuses the other roles", "[roles]") {
  WebFixture f;
  std::string doctor_id;
  auto doctor = f.active_doctor("555001", &doctor_id);
  auto town = f.town_admin();
  auto anonymous = f.client();
  const std::string designation = f.designation_of(doctor_id);

  struct Case {
    http::verb method;
    std::string target;
  };
  const std::vector<Case> municipal_only = {
      {http::verb::get, "/api/doctors"},
      {http::verb::post, "/api/doctors"},
      {http::verb::get, "/api/doctors/" + doctor_id},
      {http::verb::post, "/api/designations/" + designation + "/extend"},
      {http::verb::post, "/api/designations/" + designation + "/end"},
      {http::verb::post, "/api/doctors/" + doctor_id + "/reset-password"},
      {http::verb::get, "/api/designations/" + designation + "/notice"},
      {http::verb::get, "/api/doctors/public-list.csv"},
      {http::verb::post, "/api/imports"},
      {http::verb::post, "/api/municipalities"},
  };
  for (const auto& c : municipal_only) {
    INFO(c.target);
    auto r = doctor.request(c.method, c.target, "{}", "application/json");
    CHECK(r.status == 403);
    auto a = anonymous.request(c.method, c.target, "{}", "application/json");
    CHECK((a.status == 401 || a.status == 403));
  }
  for (const char* target : {"/api/affiliations", "/api/users"}) {
    INFO(target);
    CHECK(town.get(target).status == 403);
    CHECK(anonymous.get(target).status == 401);
  }
  CHECK(doctor.get("/api/affiliations").status == 200);
  CHECK(town.get("/api/doctors").status == 200);
  // HTML pages send the anonymous browser to the login page.
  CHECK(anonymous.get("/doctors").header("Location") == "/login?expired=1");
}

TEST_CASE("a municipality cannot act on another municipality's doctor", "[scope]") {
  WebFixture f;
  auto cred = f.doctor("777001");
  auto other = f.client();
  REQUIRE(other.api_login(f.other_town.user_id, kChosenPassword) == "active");
  const std::string designation = f.designation_of(cred.user_id);
  for (const std::string& target :
       {"/api/designations/" + designation + "/extend", "/api/designations/" + designation + "/end",
        "/api/doctors/" + cred.user_id + "/reset-password"}) {
    auto r = other.post_json(target, {{"expires_on", "2035-03-31"}});
    INFO(target << " " << r.body());
    CHECK((r.status == 403 || r.status == 404));
  }
  CHECK(f.gateway.revoked.empty());
}

TEST_CASE("a session still in first login may only use the setup steps", "[setup]") {
  WebFixture f;
  auto cred = f.doctor("888001");
  auto c = f.client(kHospital);
  CHECK(c.api_login(cred.user_id, cred.initial_password) == "register-email");
  auto r = c.get("/api/affiliations");
  CHECK(r.status == 403);
  CHECK(r.json()["error"]["code"] == "setup-required");
  CHECK(c.get("/affiliations").header("Location") == "/setup");
  CHECK(c.get("/api/setup").json()["setup_step"] == "register-email");
}

TEST_CASE("a doctor logs in only from a PC of the hospital", "[session]") {
  WebFixture f;
  auto cred = f.doctor("999001");
  auto elsewhere = f.client(kOtherHospital);
  auto r = elsewhere.post_json(
      "/api/login", {{"user_id", cred.user_id}, {"password", cred.initial_password}}, false);
  // The same answer as an unknown ID: the stranger's PC learns nothing (issue 12).
  CHECK(r.status == 401);
  auto unknown =
      elsewhere.post_json("/api/login", {{"user_id", "A9999999"}, {"password", "x"}}, false);
  CHECK(unknown.status == 401);
  CHECK(unknown.json()["error"]["message"] == r.json()["error"]["message"]);
}

TEST_CASE("a refused login is reported to the gateway's IPS with its terminal and source",
          "[session]") {
  WebFixture f;
  auto cred = f.doctor("999002");
  auto pc = f.client(kHospital);
  pc.cert_serial = "1F2E3D";
  CHECK(pc.post_json("/api/login", {{"user_id", cred.user_id}, {"password", "wrong"}}, false)
            .status == 401);
  CHECK(pc.post_json("/api/login", {{"user_id", "A9999999"}, {"password", "x"}}, false).status ==
        401);
  REQUIRE(f.gateway.failed_logins.size() == 2);
  CHECK(f.gateway.failed_logins[0] == "1F2E3D 192.0.2.10");
  // A successful login and a malformed request are no guesses: nothing more is reported.
  CHECK(pc.post_json("/api/login", {{"user_id", cred.user_id}, {"password", cred.initial_password}},
                     false)
            .status == 200);
  CHECK(f.gateway.failed_logins.size() == 2);
}

TEST_CASE("doctor names are escaped on every page", "[html]") {
  WebFixture f;
  auto cred = f.doctor("121212", kHospital, "<script>alert(1)</script>");
  auto c = f.town_admin();
  for (const std::string& target :
       std::vector<std::string>{"/doctors", "/doctors/" + cred.user_id,
                                "/designations/" + f.designation_of(cred.user_id) + "/notice"}) {
    auto r = c.get(target);
    INFO(target);
    REQUIRE(r.status == 200);
    CHECK(r.body().find("<script>alert(1)") == std::string::npos);
    CHECK(r.body().find("&lt;script&gt;alert(1)") != std::string::npos);
  }
}
