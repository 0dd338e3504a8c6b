// Hospital user management by the 責任者 (ID-7): clerks and 責任者 users with
// ID/PW shown once and printable, handover, reset, lock, key reissue, delete.
// The core checks that the caller is this hospital's 責任者.
#include "appcore/web/notices.h"
#include "appcore/web/revocation.h"
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {

Response reset_password_page(RequestContext& ctx);  // routes_doctor_actions.cpp

namespace {

using appcore::Role;

std::string today(const RequestContext& ctx) {
  return japanese_date(format_utc(ctx.services.clock.now()).substr(0, 10));
}

Html action(std::string_view user_id, std::string_view what, std::string_view label,
            std::string_view csrf, bool danger = false) {
  Html h;
  h << raw("<form method=\"post\" class=\"inline\" action=\"/users/") << user_id << raw("/") << what
    << raw("\"")
    << raw(danger ? " data-confirm=\"この操作は取り消せません。よろしいですか。\"" : "") << raw(">")
    << Html().csrf_field(csrf) << raw("<button type=\"submit\" class=\"small ")
    << raw(danger ? "danger" : "secondary") << raw("\">") << label << raw("</button></form> ");
  return h;
}

Response users_page(RequestContext& ctx, std::string_view message = {}, bool error = false) {
  auto r = ctx.services.core.hospital_users(ctx.who());
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) {
    auto list = nlohmann::json::array();
    for (const auto& u : r.value()) list.push_back(to_json(u));
    return json_response(http::status::ok, {{"users", list}});
  }
  Html b;
  if (!message.empty()) b << alert(message, error);
  b << raw(
      "<table><caption>医療機関の利用者</caption><thead><tr><th scope=\"col\">ID</th>"
      "<th scope=\"col\">氏名</th><th scope=\"col\">区分</th><th scope=\"col\">状態</th>"
      "<th scope=\"col\">操作</th></tr></thead><tbody>");
  const std::string& csrf = ctx.csrf_token;
  for (const auto& u : r.value()) {
    b << raw("<tr><td class=\"mono\">") << u.user_id << raw("</td><td>") << u.name
      << raw("</td><td>") << role_label(u.role) << (u.hospital_admin ? "（責任者）" : "")
      << raw("</td><td>")
      << (u.locked ? "ロック中" : (u.setup_step == "active" ? "利用中" : "初回ログイン待ち"))
      << raw("</td><td>");
    // A doctor's password is reset by the designating municipality, never here
    // (the 責任者 could log in as the doctor; docs/appcore-data.md "Authorization").
    if (!appcore::is_doctor(u.role))
      b << action(u.user_id, "reset-password", "パスワード再発行", csrf);
    b << action(u.user_id, u.locked ? "unlock" : "lock", u.locked ? "ロック解除" : "ロック", csrf)
      << action(u.user_id, "reissue-key", "暗号化鍵の再発行", csrf)
      << raw("<a class=\"button secondary small\" href=\"/users/") << u.user_id
      << raw("/idpw-notice\">通知書</a> ");
    if (!appcore::is_doctor(u.role) && !u.hospital_admin)
      b << action(u.user_id, "delete", "削除", csrf, true);
    if (!u.hospital_admin && u.role != Role::Clerk)
      b << action(u.user_id, "handover", "責任者を引き継ぐ", csrf, true);
    b << raw("</td></tr>");
  }
  b << raw("</tbody></table><h2>医療クラーク等の登録</h2><form method=\"post\" "
           "action=\"/users/clerks\">")
    << Html().csrf_field(csrf)
    << Html().text_field("name", "氏名", "", "text", true, "off", "clerk")
    << Html().text_field("kana", "氏名（カナ）", "", "text", false, "off", "clerk")
    << raw("<button type=\"submit\">登録してID・パスワードを発行</button></form>"
           "<h2>医療機関責任者ユーザの登録</"
           "h2><p>医師以外（情報システム部門など）を責任者とする場合に登録し、"
           "「責任者を引き継ぐ」で引き継ぎます。</p><form method=\"post\" "
           "action=\"/users/admins\">")
    << Html().csrf_field(csrf)
    << Html().text_field("name", "氏名", "", "text", true, "off", "admin")
    << Html().text_field("kana", "氏名（カナ）", "", "text", false, "off", "admin")
    << raw("<button type=\"submit\">登録してID・パスワードを発行</button></form>");
  return page(ctx, "利用者管理", b);
}

Response list_users(RequestContext& ctx) {
  return users_page(ctx);
}

Response credential_page(RequestContext& ctx, const appcore::IssuedCredential& c) {
  if (ctx.api) return json_response(http::status::created, to_json(c));
  auto notice = ctx.services.core.id_password_notice(ctx.who(), c.user_id);
  if (!notice) return error_response(ctx, notice.error());
  auto n = notice.value();
  n.initial_password = c.initial_password;
  n.password_expires_at = c.password_expires_at;
  Html b;
  b << raw("<div class=\"no-print\">")
    << alert("ID・パスワードを発行しました。初期パスワードはこの画面でのみ表示されます。", false)
    << raw("<p><a href=\"/users\">利用者管理へ戻る</a></p></div>") << print_button()
    << id_password_notice_sheet(n, today(ctx));
  return page(ctx, "ID・パスワードの発行", b, http::status::created);
}

Response create_clerk(RequestContext& ctx) {
  auto r = ctx.services.core.create_clerk(ctx.who(), ctx.field("name"), ctx.field("kana"));
  if (!r)
    return ctx.api ? error_response(ctx, r.error())
                   : users_page(ctx, japanese_message(r.error()), true);
  return credential_page(ctx, r.value());
}

Response create_admin(RequestContext& ctx) {
  auto r =
      ctx.services.core.create_hospital_admin_user(ctx.who(), ctx.field("name"), ctx.field("kana"));
  if (!r)
    return ctx.api ? error_response(ctx, r.error())
                   : users_page(ctx, japanese_message(r.error()), true);
  return credential_page(ctx, r.value());
}

// Lock, unlock, handover: a plain result.
Response simple(RequestContext& ctx, Result<void> r, std::string_view done) {
  if (!r)
    return ctx.api ? error_response(ctx, r.error())
                   : users_page(ctx, japanese_message(r.error()), true);
  if (ctx.api) return json_response(http::status::ok, {{"done", true}});
  return users_page(ctx, done);
}

Response lock(RequestContext& ctx) {
  return simple(ctx, ctx.services.core.set_locked(ctx.who(), ctx.param("id"), true),
                "アカウントをロックしました。");
}
Response unlock(RequestContext& ctx) {
  return simple(ctx, ctx.services.core.set_locked(ctx.who(), ctx.param("id"), false),
                "ロックを解除しました。");
}
Response handover(RequestContext& ctx) {
  auto r = ctx.services.core.hand_over_administration(ctx.who(), ctx.param("id"));
  if (r && !ctx.api) {
    // The caller is no longer the 責任者: the list is no longer theirs to see.
    return page(ctx, "責任者の引き継ぎ", alert("医療機関責任者を引き継ぎました。", false));
  }
  return simple(ctx, std::move(r), "");
}

Response revoking(RequestContext& ctx, Result<appcore::RevocationOutcome> r,
                  std::string_view done) {
  if (!r)
    return ctx.api ? error_response(ctx, r.error())
                   : users_page(ctx, japanese_message(r.error()), true);
  const auto g = tell_gateway(ctx, r.value());
  if (ctx.api) return json_response(http::status::ok, to_json(r.value(), g));
  return users_page(ctx, std::string(done) + describe(r.value(), g), !g.told);
}

Response reissue_key(RequestContext& ctx) {
  return revoking(
      ctx, ctx.services.core.reissue_key(ctx.who(), ctx.param("id")),
      "暗号化鍵を再発行できる状態にしました。次回ログイン時に新しい鍵ファイルを送信します。");
}
Response delete_user(RequestContext& ctx) {
  return revoking(ctx, ctx.services.core.delete_user(ctx.who(), ctx.param("id")),
                  "利用者を削除しました。");
}

}  // namespace

void add_user_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> hospital{Role::HospitalAdmin, Role::NanbyoDoctor, Role::CooperatingDoctor,
                                Role::PediatricDoctor};
  for (const char* prefix : {"", "/api"}) {
    const std::string p(prefix);
    router.add({V::get, p + "/users", Access::Roles, hospital, list_users});
    router.add({V::post, p + "/users/clerks", Access::Roles, hospital, create_clerk});
    router.add({V::post, p + "/users/admins", Access::Roles, hospital, create_admin});
    router.add(
        {V::post, p + "/users/{id}/reset-password", Access::Roles, hospital, reset_password_page});
    router.add({V::post, p + "/users/{id}/lock", Access::Roles, hospital, lock});
    router.add({V::post, p + "/users/{id}/unlock", Access::Roles, hospital, unlock});
    router.add({V::post, p + "/users/{id}/handover", Access::Roles, hospital, handover});
    router.add({V::post, p + "/users/{id}/reissue-key", Access::Roles, hospital, reissue_key});
    router.add({V::post, p + "/users/{id}/delete", Access::Roles, hospital, delete_user});
  }
}

}  // namespace nanbyo::web
