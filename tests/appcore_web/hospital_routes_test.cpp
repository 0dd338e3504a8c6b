// ID-7 (the 責任者 manages the hospital's users), ID-8 (兼務先) and the
// operator's set-up, through the HTTP layer.
#include <catch2/catch.hpp>
#include <set>

#include "web_fixture.h"

using namespace nanbyo;
using namespace nanbyo::web;
using namespace nanbyo::web::testing;
using appcore::testing::kChosenPassword;
using appcore::testing::kHospital;
using appcore::testing::kOtherHospital;

namespace {

// Element ids used twice on a page (a <label for> would point at the wrong one).
std::set<std::string> duplicate_ids(const std::string& html) {
  std::set<std::string> seen, twice;
  for (auto at = html.find(" id=\""); at != std::string::npos; at = html.find(" id=\"", at + 1)) {
    const auto start = at + 5;
    const std::string id = html.substr(start, html.find('"', start) - start);
    if (!seen.insert(id).second) twice.insert(id);
  }
  return twice;
}

}  // namespace

TEST_CASE("the hospital's first doctor manages its clerks", "[ID-7]") {
  WebFixture f;
  std::string admin_id;
  auto admin = f.active_doctor("710001", &admin_id);
  auto list = admin.get("/api/users");
  INFO(list.body());
  REQUIRE(list.status == 200);
  bool is_admin = false;
  const auto users = list.json();  // range-for over a temporary's member would dangle
  for (const auto& u : users["users"])
    if (u["user_id"].get<std::string>() == admin_id) is_admin = u["hospital_admin"].get<bool>();
  CHECK(is_admin);

  auto clerk =
      admin.post_json("/api/users/clerks", {{"name", "事務 三郎"}, {"kana", "ジム サブロウ"}});
  INFO(clerk.body());
  REQUIRE(clerk.status == 201);
  const std::string clerk_id = clerk.json()["user_id"];
  CHECK(clerk_id.front() == 'C');
  CHECK_FALSE(clerk.json()["initial_password"].get<std::string>().empty());

  auto notice = admin.get("/users/" + clerk_id + "/idpw-notice");
  CHECK(notice.status == 200);
  CHECK(notice.body().find("ID・パスワード発行通知書") != std::string::npos);

  auto reset =
      admin.post_json("/api/users/" + clerk_id + "/reset-password", nlohmann::json::object());
  REQUIRE(reset.status == 200);
  const std::string password = reset.json()["initial_password"];

  CHECK(admin.post_json("/api/users/" + clerk_id + "/lock", nlohmann::json::object()).status ==
        200);
  auto locked = f.client(kHospital);
  auto refused =
      locked.post_json("/api/login", {{"user_id", clerk_id}, {"password", password}}, false);
  CHECK(refused.status == 423);
  CHECK(admin.post_json("/api/users/" + clerk_id + "/unlock", nlohmann::json::object()).status ==
        200);
  CHECK(f.client(kHospital).api_login(clerk_id, password) == "register-email");

  auto reissue =
      admin.post_json("/api/users/" + clerk_id + "/reissue-key", nlohmann::json::object());
  INFO(reissue.body());
  CHECK(reissue.status == 200);
  CHECK(f.gateway.revoked == std::vector<std::string>{clerk_id});
  auto del = admin.post_json("/api/users/" + clerk_id + "/delete", nlohmann::json::object());
  CHECK(del.status == 200);
  CHECK(f.gateway.revoked.size() == 2);
  const auto after = admin.get("/api/users").json();
  for (const auto& u : after["users"]) CHECK(u["user_id"] != clerk_id);

  SECTION("another doctor of the hospital is not the 責任者") {
    auto other = f.active_doctor("710002");
    CHECK(other.get("/api/users").status == 403);
    CHECK(other.post_json("/api/users/clerks", {{"name", "x"}}).status == 403);
  }
  SECTION("the page lists the users with a CSRF token in every form, ids unique") {
    auto page = admin.get("/users");
    REQUIRE(page.status == 200);
    CHECK(duplicate_ids(page.body()).empty());
    std::size_t forms = 0, tokens = 0;
    for (auto at = page.body().find("<form"); at != std::string::npos;
         at = page.body().find("<form", at + 1))
      ++forms;
    for (auto at = page.body().find("name=\"_csrf\""); at != std::string::npos;
         at = page.body().find("name=\"_csrf\"", at + 1))
      ++tokens;
    CHECK(forms > 2);
    CHECK(tokens == forms);
  }
}

namespace {

// Hospital B's first doctor, hence its 責任者, logged in on a B PC.
Client other_hospital_admin(WebFixture& f, const std::string& registration) {
  auto cred = f.doctor(registration, kOtherHospital, "大阪 医師", &f.other_town);
  f.activate(cred.user_id, cred.initial_password, kOtherHospital);
  auto c = f.client(kOtherHospital);
  REQUIRE(c.api_login(cred.user_id, kChosenPassword) == "active");
  return c;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a doctor requests a 兼務先, its 責任者 approves, removal ends the access", "[ID-8]") {
  WebFixture f;
  auto b_admin = other_hospital_admin(f, "720001");
  std::string doc_id;
  auto doctor = f.active_doctor("720002", &doc_id);

  CHECK(doctor.post_json("/api/affiliations", {{"hospital_number", "9999999999"}}).status == 404);
  CHECK(doctor.post_json("/api/affiliations", {{"hospital_number", kHospital}}).status == 409);
  auto asked = doctor.post_json("/api/affiliations", {{"hospital_number", kOtherHospital},
                                                      {"department", "小児科"},
                                                      {"visible", false},
                                                      {"contact", "06-0000-1111"}});
  INFO(asked.body());
  REQUIRE(asked.status == 201);
  CHECK(asked.json()["state"] == "pending");
  CHECK(asked.json()["visible"] == false);
  auto list = doctor.get("/api/affiliations").json();
  REQUIRE(list["affiliations"].size() == 1);
  CHECK(list["affiliations"][0]["number"] == kOtherHospital);
  CHECK(list["max"] == 10);
  auto page = doctor.get("/affiliations");
  CHECK(page.body().find("申請中") != std::string::npos);
  CHECK(duplicate_ids(page.body()).empty());
  CHECK(count(page.body(), "<form") == count(page.body(), "name=\"_csrf\""));

  // Pending: the doctor cannot log in from B's PC, refused as a wrong password would be, so
  // that B's PC learns nothing about the account (core: terminal_refusal).
  auto at_b = f.client(kOtherHospital);
  CHECK(at_b.post_json("/api/login", {{"user_id", doc_id}, {"password", kChosenPassword}}, false)
            .status == 401);

  // A's 責任者 (the doctor) sees no request naming A; B's sees the request.
  CHECK(doctor.get("/api/affiliation-requests").json()["requests"].empty());
  auto requests = b_admin.get("/api/affiliation-requests").json();
  REQUIRE(requests["requests"].size() == 1);
  CHECK(requests["requests"][0]["user_id"] == doc_id);
  CHECK(requests["requests"][0]["department"] == "小児科");
  auto screen = b_admin.get("/affiliation-requests");
  REQUIRE(screen.status == 200);
  CHECK(screen.body().find(doc_id) != std::string::npos);
  CHECK(duplicate_ids(screen.body()).empty());
  CHECK(count(screen.body(), "<form") == count(screen.body(), "name=\"_csrf\""));
  // Without the CSRF token the decision is refused.
  CHECK(b_admin.post_form("/affiliation-requests/" + doc_id + "/approve", {}, false).status == 403);

  auto approved = b_admin.post_form("/affiliation-requests/" + doc_id + "/approve", {});
  CHECK(approved.status == 200);
  CHECK(approved.body().find("承認しました") != std::string::npos);
  CHECK(at_b.api_login(doc_id, kChosenPassword) == "active");
  CHECK(doctor.get("/api/affiliations").json()["affiliations"][0]["state"] == "approved");

  // B's 責任者 ends the 兼務: the doctor's session at B's PC ends with it.
  auto removed = b_admin.post_json("/api/affiliation-requests/" + doc_id + "/delete",
                                   nlohmann::json::object());
  INFO(removed.body());
  REQUIRE(removed.status == 200);
  CHECK(removed.json()["ended_sessions"] == 1);
  CHECK(at_b.get("/api/affiliations").status == 401);
  CHECK(doctor.get("/api/affiliations").json()["affiliations"].empty());
}

TEST_CASE("a rejected 兼務先 shows its reason, the doctor withdraws a request", "[ID-8]") {
  WebFixture f;
  auto b_admin = other_hospital_admin(f, "730001");
  std::string doc_id;
  auto doctor = f.active_doctor("730002", &doc_id);
  auto asked = doctor.post_form("/affiliations", {{"hospital_number", kOtherHospital},
                                                  {"department", "内科"},
                                                  {"visible", "1"},
                                                  {"contact", "内線123"}});
  CHECK(asked.status == 200);
  CHECK(asked.body().find("兼務先を申請しました") != std::string::npos);
  // A doctor who is not B's 責任者 cannot decide for B (his own hospital is A).
  CHECK(
      doctor.post_json("/api/affiliation-requests/" + doc_id + "/reject", nlohmann::json::object())
          .status == 404);
  auto refused = doctor.post_form("/affiliation-requests/" + doc_id + "/reject", {});
  CHECK(refused.body().find("対象が見つかりません") != std::string::npos);
  auto rejected =
      b_admin.post_form("/affiliation-requests/" + doc_id + "/reject", {{"reason", "在籍なし"}});
  CHECK(rejected.status == 200);
  auto mine = doctor.get("/affiliations");
  CHECK(mine.body().find("却下") != std::string::npos);
  CHECK(mine.body().find("在籍なし") != std::string::npos);
  auto withdrawn = doctor.post_form("/affiliations/" + std::string(kOtherHospital) + "/delete", {});
  CHECK(withdrawn.status == 200);
  CHECK(doctor.get("/api/affiliations").json()["affiliations"].empty());
  CHECK(f.audited("affiliation-reject", nanbyo::audit::Outcome::Allow, doc_id));
}

TEST_CASE("only operators set up municipalities and staff", "[operator]") {
  WebFixture f;
  auto op = f.client();
  REQUIRE(op.api_login(f.op.user_id, kChosenPassword) == "active");
  CHECK(op.post_json("/api/municipalities", {{"code", "011002"}, {"name", "札幌市"}}).status ==
        201);
  auto staff = op.post_json(
      "/api/staff",
      {{"role", "municipal-admin"}, {"name", "札幌 職員"}, {"municipality", "011002"}});
  INFO(staff.body());
  CHECK(staff.status == 201);
  CHECK(op.post_json("/api/staff", {{"role", "emperor"}, {"name", "x"}}).status == 400);
  auto page = op.get("/operator");
  CHECK(page.status == 200);
  CHECK(duplicate_ids(page.body()).empty());
  auto town = f.town_admin();
  CHECK(town.post_json("/api/municipalities", {{"code", "011002"}, {"name", "x"}}).status == 403);
  CHECK(town.get("/operator").status == 403);
}

TEST_CASE("the public list downloads as CSV for the municipality", "[ID-9]") {
  WebFixture f;
  f.doctor("730001");
  auto town = f.town_admin();
  auto csv = town.get("/doctors/public-list.csv");
  REQUIRE(csv.status == 200);
  CHECK(csv.header("Content-Type").starts_with("text/csv"));
  CHECK(csv.header("Content-Disposition").find("attachment") == 0);
  CHECK(csv.body().find("山田 太郎") != std::string::npos);
}
