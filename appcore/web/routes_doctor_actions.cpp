// Municipality, one doctor at a time: details, 有効期限延長 (ID-5), 転出 (ID-6),
// password reset. Revocations also reach the gateway (revocation.h).
#include "appcore/web/notices.h"
#include "appcore/web/revocation.h"
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

Response show_doctor(RequestContext& ctx, std::string_view message = {}, bool error = false) {
  auto r = ctx.services.core.user(ctx.who(), ctx.param("id"));
  if (!r) return error_response(ctx, r.error());
  const auto& u = r.value();
  if (ctx.api) return json_response(http::status::ok, to_json(u));
  Html b;
  if (!message.empty()) b << alert(message, error);
  b << raw("<table><tbody>");
  auto row = [&b](const char* label, std::string_view value) {
    b << raw("<tr><th scope=\"row\">") << label << raw("</th><td>") << value << raw("</td></tr>");
  };
  row("ID", u.user_id);
  row("氏名", u.name);
  row("氏名（カナ）", u.kana);
  row("種別", role_label(u.role));
  row("医籍登録番号", u.registration_number);
  row("医療機関番号", u.hospital);
  row("診療科名", u.department);
  row("指定年月日", japanese_date(u.designated_on));
  row("指定有効期限", japanese_date(u.expires_on));
  row("指定医番号", u.doctor_number);
  row("状態", std::string(u.locked ? "ロック中 " : "") +
                  (u.setup_step == "active" ? "利用中" : "初回ログイン待ち"));
  const std::string id = u.user_id;
  b << raw("</tbody></table><div class=\"actions\"><a class=\"button secondary\" href=\"/doctors/")
    << id << raw("/notice\">指定通知書</a><a class=\"button secondary\" href=\"/users/") << id
    << raw("/idpw-notice\">IDPW発行通知書</a></div>")
    << raw("<h2>有効期限延長</"
           "h2><p>延長すると暗号化鍵が失効し、ログイン中の場合は強制ログアウトされます。"
           "次回ログイン時にメールアドレスの登録と暗号化鍵ファイルの受け取りが必要です。</p>"
           "<form method=\"post\" action=\"/doctors/")
    << id
    << raw("/extend\" data-confirm=\"有効期限を延長し、暗号化鍵を失効します。よろしいですか。\">")
    << Html().csrf_field(ctx.csrf_token)
    << Html().text_field("expires_on", "新しい指定有効期限", "", "date")
    << raw("<div class=\"actions\"><button type=\"submit\">有効期限を延長する</button></div></form>"
           "<h2>パスワードの再発行</h2><form method=\"post\" action=\"/doctors/")
    << id << raw("/reset-password\">") << Html().csrf_field(ctx.csrf_token)
    << raw("<button type=\"submit\" class=\"secondary\">初期パスワードを再発行する</button></form>"
           "<h2>転出（IDの削除）</h2><form method=\"post\" action=\"/doctors/")
    << id
    << raw("/transfer-out\" data-confirm=\"IDを削除し、暗号化鍵を失効します。よろしいですか。\">")
    << Html().csrf_field(ctx.csrf_token)
    << raw("<button type=\"submit\" class=\"danger\">転出としてIDを削除する</button></form>");
  return page(ctx, "指定医の詳細", b);
}

Response doctor_page(RequestContext& ctx) {
  return show_doctor(ctx);
}

Response extend(RequestContext& ctx) {
  auto r = ctx.services.core.extend_validity(ctx.who(), ctx.param("id"), ctx.field("expires_on"));
  if (!r)
    return ctx.api ? error_response(ctx, r.error())
                   : show_doctor(ctx, japanese_message(r.error()), true);
  const auto g = tell_gateway(ctx, r.value());
  if (ctx.api) return json_response(http::status::ok, to_json(r.value(), g));
  return show_doctor(ctx, "有効期限を延長しました。" + describe(r.value(), g), !g.told);
}

Response transfer_out(RequestContext& ctx) {
  auto r = ctx.services.core.transfer_out(ctx.who(), ctx.param("id"));
  if (!r)
    return ctx.api ? error_response(ctx, r.error())
                   : show_doctor(ctx, japanese_message(r.error()), true);
  const auto g = tell_gateway(ctx, r.value());
  if (ctx.api) return json_response(http::status::ok, to_json(r.value(), g));
  if (!g.told) return page(ctx, "転出", alert("IDを削除しました。" + describe(r.value(), g)));
  return redirect_to("/doctors?done=transfer");
}

Response reset_password(RequestContext& ctx) {
  auto r = ctx.services.core.reset_password(ctx.who(), ctx.param("id"));
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) return json_response(http::status::ok, to_json(r.value()));
  auto notice = ctx.services.core.id_password_notice(ctx.who(), ctx.param("id"));
  if (!notice) return error_response(ctx, notice.error());
  auto n = notice.value();
  n.initial_password = r->initial_password;
  n.password_expires_at = r->password_expires_at;
  Html b;
  b << raw("<div class=\"no-print\">")
    << alert("初期パスワードを再発行しました。この画面でのみ表示されます。", false) << raw("</div>")
    << print_button()
    << id_password_notice_sheet(n,
                                japanese_date(format_utc(ctx.services.clock.now()).substr(0, 10)));
  return page(ctx, "IDPW発行通知書（再発行）", b);
}

}  // namespace

// Shared with routes_users.cpp: the same reset page for a 責任者's users.
Response reset_password_page(RequestContext& ctx) {
  return reset_password(ctx);
}

void add_doctor_action_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> municipal{Role::MunicipalAdmin};
  for (const char* prefix : {"", "/api"}) {
    const std::string p(prefix);
    router.add({V::get, p + "/doctors/{id}", Access::Roles, municipal, doctor_page});
    router.add({V::post, p + "/doctors/{id}/extend", Access::Roles, municipal, extend});
    router.add({V::post, p + "/doctors/{id}/transfer-out", Access::Roles, municipal, transfer_out});
    router.add(
        {V::post, p + "/doctors/{id}/reset-password", Access::Roles, municipal, reset_password});
  }
}

}  // namespace nanbyo::web
