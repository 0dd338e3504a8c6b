// Login, logout, the menu, and the JSON session calls.
#include "appcore/web/cookies.h"
#include "appcore/web/notices.h"
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"
#include "service/journal.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

Response login_page(RequestContext& ctx, std::string_view error = {},
                    http::status status = http::status::ok) {
  Html b;
  if (!error.empty()) b << alert(error);
  if (ctx.query_value("expired") == "1" && error.empty())
    b << alert("ログインの有効期限が切れたか、ログアウトされました。再度ログインしてください。",
               false);
  b << raw("<form method=\"post\" action=\"/login\" class=\"login\">")
    << Html().csrf_field(ctx.csrf_token)
    << Html().text_field("user_id", "ID", ctx.field("user_id"), "text", true, "username")
    << Html().text_field("password", "パスワード", "", "password", true, "current-password")
    << raw("<div class=\"actions\"><button type=\"submit\">ログイン</button></div></form>"
           "<p>初回ログインの方は、IDPW発行通知書に記載のIDと初期パスワードを入力してください。</"
           "p>");
  return page(ctx, "ログイン", b, status);
}

Response show_login(RequestContext& ctx) {
  if (ctx.principal) return redirect_to("/");
  return login_page(ctx);
}

// A guess at a password (wrong, or sent while throttled or locked) counts toward the
// gateway's block of the terminal (issue 14). The refusal stands if the gateway cannot be
// told; the appcore's audit record of the login says the rest.
void report_refused_login(RequestContext& ctx, const Error& error) {
  const appcore::Errc code = appcore::error_code(error);
  if (code != appcore::Errc::AuthFailed && code != appcore::Errc::Throttled &&
      code != appcore::Errc::Locked) {
    return;
  }
  auto told = ctx.services.gateway.report_failed_login(ctx.terminal().cert_serial,
                                                       ctx.gateway.client_address);
  if (!told) {
    service::log(service::Priority::Warning, "nanbyo-appcore",
                 "cannot report a failed login to the gateway: " + told.error().message);
  }
}

Response do_login(RequestContext& ctx) {
  auto& s = ctx.services;
  auto result = s.core.login(ctx.field("user_id"), ctx.field("password"), ctx.terminal());
  if (s.metrics) s.metrics->login(result.ok());
  if (!result) {
    report_refused_login(ctx, result.error());
    if (ctx.api) return error_response(ctx, result.error());
    return login_page(ctx, japanese_message(result.error()), status_for(result.error()));
  }
  auto& login = result.value();
  s.sessions.remember(login.principal.session_id_hash, s.clock.now().time_since_epoch().count());
  ctx.set_cookies.push_back(set_cookie(kSessionCookie, login.session_token));
  ctx.set_cookies.push_back(set_cookie(kLoginCsrfCookie, login.csrf_token));
  ctx.principal = login.principal;
  ctx.setup_step = login.next_step;
  if (ctx.api) {
    return json_response(http::status::ok, {{"user_id", login.principal.user_id},
                                            {"role", appcore::to_string(login.principal.role)},
                                            {"setup_step", appcore::to_string(login.next_step)},
                                            {"csrf_token", login.csrf_token}});
  }
  return redirect_to(login.next_step == appcore::SetupStep::None ? "/" : "/setup");
}

Response do_logout(RequestContext& ctx) {
  (void)ctx.services.core.logout(ctx.session_token);  // an already-ended session is fine
  ctx.services.sessions.forget(ctx.principal->session_id_hash);
  ctx.set_cookies.push_back(clear_cookie(kSessionCookie));
  ctx.principal.reset();
  if (ctx.api) return json_response(http::status::ok, {{"logged_out", true}});
  return redirect_to("/login");
}

Response me(RequestContext& ctx) {
  const auto& p = ctx.who();
  nlohmann::json j{{"user_id", p.user_id},
                   {"role", appcore::to_string(p.role)},
                   {"hospital", p.hospital},
                   {"terminal", p.terminal},
                   {"setup_step", appcore::to_string(ctx.setup_step)}};
  if (appcore::is_doctor(p.role) && ctx.setup_step == appcore::SetupStep::None) {
    auto mine = ctx.services.core.my_designations(p);
    if (!mine) return error_response(ctx, mine.error());
    j["designations"] = designations_json(mine.value());
  }
  return json_response(http::status::ok, j);
}

Response menu(RequestContext& ctx) {
  const Role role = ctx.who().role;
  Html b;
  if (appcore::is_doctor(role)) {
    // A doctor is what the valid designations say, not the letter of the ID.
    auto mine = ctx.services.core.my_designations(ctx.who());
    if (!mine) return error_response(ctx, mine.error());
    b << raw(
        "<table><caption>あなたの指定</caption><thead><tr><th scope=\"col\">指定医種別"
        "</th><th scope=\"col\">指定した自治体</th><th scope=\"col\">指定医番号</th>"
        "<th scope=\"col\">指定有効期限</th><th scope=\"col\">状態</th></tr></thead>"
        "<tbody>");
    for (const auto& d : mine.value()) {
      b << raw("<tr><td>") << role_label(d.kind) << raw("</td><td>") << d.municipality_name
        << raw("</td><td>") << d.doctor_number << raw("</td><td>") << japanese_date(d.expires_on)
        << raw("</td><td>") << (d.valid ? "有効" : "期限切れ") << raw("</td></tr>");
    }
    b << raw("</tbody></table><ul class=\"menu\">");
  } else {
    b << raw("<p>") << role_label(role) << raw("としてログインしています。</p><ul class=\"menu\">");
  }
  auto item = [&b](const char* href, const char* label, const char* what) {
    b << raw("<li><a href=\"") << href << raw("\">") << label << raw("</a>: ") << what
      << raw("</li>");
  };
  if (role == Role::MunicipalAdmin) {
    item("/doctors", "指定医一覧", "登録済みの指定医の確認、通知書の印刷、有効期限延長、転出");
    item("/doctors/new", "指定医の登録", "新たに指定した医師のID・パスワードを発行");
    item("/imports/new", "一括登録", "指定医の一覧ファイル（CSV/TSV）からまとめて登録");
    item("/doctors/public-list", "指定医の公表", "ホームページ掲載用の一覧をダウンロード");
  }
  if (appcore::is_doctor(role))
    item("/affiliations", "兼務先",
         "兼務する医療機関の申請（最大10件、兼務先の責任者の承認が必要）");
  if (appcore::is_doctor(role) || role == Role::HospitalAdmin) {
    item("/users", "利用者管理", "医療機関の利用者（医療クラーク等）の管理（医療機関責任者）");
    item("/affiliation-requests", "兼務先の承認",
         "他の医療機関の指定医からの兼務先申請の承認・却下（医療機関責任者）");
  }
  if (role == Role::Operator) item("/operator", "運用管理", "自治体・医療機関・管理者ユーザの登録");
  item("/password", "パスワード変更", "ご自身のログインパスワードの変更");
  b << raw("</ul>");
  return page(ctx, "メニュー", b);
}

}  // namespace

void add_auth_routes(Router& router) {
  using V = http::verb;
  router.add({V::get, "/", Access::Roles, {}, menu});
  router.add({V::get, "/login", Access::Public, {}, show_login});
  router.add({V::post, "/login", Access::Public, {}, do_login});
  router.add({V::post, "/logout", Access::Setup, {}, do_logout});
  Route api_login{V::post, "/api/login", Access::Public, {}, do_login};
  api_login.csrf_exempt = true;
  router.add(api_login);
  router.add({V::post, "/api/logout", Access::Setup, {}, do_logout});
  router.add({V::get, "/api/me", Access::Setup, {}, me});
}

}  // namespace nanbyo::web
