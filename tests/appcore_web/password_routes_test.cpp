// パスワード変更 through the HTTP layer (issue 12): the screen from the menu,
// its refusals shown on the form, CSRF, and the other sessions ended; and a
// session cookie carried to another PC's certificate refused.
#include <catch2/catch.hpp>

#include "web_fixture.h"

using namespace nanbyo;
using namespace nanbyo::web;
using namespace nanbyo::web::testing;
using appcore::testing::kChosenPassword;
using appcore::testing::kHospital;

namespace {
constexpr const char* kNewPassword = "Hoshi-Tsuki-2027!";

bool has(const Reply& r, const std::string& text) {
  return r.body().find(text) != std::string::npos;
}
}  // namespace

TEST_CASE("password change screen: refusals on the form, success ends other sessions") {
  WebFixture f;
  auto here = f.town_admin();
  auto elsewhere = f.town_admin();
  CHECK(has(here.get("/"), "href=\"/password\""));
  auto screen = here.get("/password");
  REQUIRE(screen.status == 200);
  CHECK(has(screen, "name=\"current_password\""));
  CHECK(has(screen, "name=\"new_password_confirm\""));
  CHECK(has(screen, "name=\"_csrf\""));

  auto differ = here.post_form("/password", {{"current_password", kChosenPassword},
                                             {"new_password", kNewPassword},
                                             {"new_password_confirm", "something-else"}});
  CHECK(differ.status == 400);
  CHECK(has(differ, "一致しません"));
  auto wrong = here.post_form("/password", {{"current_password", "not-my-password"},
                                            {"new_password", kNewPassword},
                                            {"new_password_confirm", kNewPassword}});
  CHECK(wrong.status == 401);
  CHECK(has(wrong, "現在のパスワードが正しくありません"));
  auto weak = here.post_form("/password", {{"current_password", kChosenPassword},
                                           {"new_password", "short"},
                                           {"new_password_confirm", "short"}});
  CHECK(weak.status == 400);
  CHECK(has(weak, "条件を満たしていません"));
  auto forged = here.post_form("/password",
                               {{"current_password", kChosenPassword},
                                {"new_password", kNewPassword},
                                {"new_password_confirm", kNewPassword}},
                               false);
  CHECK(forged.status == 403);

  auto done = here.post_form("/password", {{"current_password", kChosenPassword},
                                           {"new_password", kNewPassword},
                                           {"new_password_confirm", kNewPassword}});
  REQUIRE(done.status == 200);
  CHECK(has(done, "パスワードを変更しました"));
  CHECK(here.get("/api/me").status == 200);
  CHECK(elsewhere.get("/api/me").status == 401);
  auto again = f.client();
  CHECK(again.api_login(f.town_admin_id, kNewPassword) == "active");
}

TEST_CASE("a session cookie used with another PC's certificate is refused") {
  WebFixture f;
  auto doctor = f.active_doctor("400001");
  CHECK(doctor.get("/api/me").status == 200);
  auto thief = f.client(kHospital);  // the same hospital, another certificate
  thief.cert_serial = "0D0E0F";
  thief.cookies = doctor.cookies;
  thief.csrf = doctor.csrf;
  CHECK(thief.get("/api/me").status == 401);  // as for no session at all
  CHECK(f.audited("session-use", audit::Outcome::Deny));
  CHECK(doctor.get("/api/me").status == 200);
}
