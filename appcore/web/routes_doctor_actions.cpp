// Municipality, one doctor at a time: details with the municipality's own
// designations, per designation 有効期限延長 (ID-5) and 転出 (ID-6), password reset. Revocations
// also reach the gateway (revocation.h).
#include "appcore/web/notices.h"
#include "appcore/web/revocation.h"
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

Html designation_section(RequestContext& ctx, const appcore::Designation& d) {
  Html b;
  auto row = [&b](const char* label, std::string_view value) {
    b << raw("<tr><th scope=\"row\">") << label << raw("</th><td>") << value << raw("</td></tr>");
  };
  b << raw("<section class=\"designation\" aria-label=\"") << role_label(d.kind)
    << raw("の指定\"><h2>") << role_label(d.kind) << raw("（") << appcore::program_label(d.program)
    << raw("）</h2><table><tbody>");
  row("指定医番号", d.doctor_number);
  row("医療機関番号", d.hospital);
  row("診療科名", d.department);
  row("指定年月日", japanese_date(d.designated_on));
  row("指定有効期限", japanese_date(d.expires_on));
  row("状態", d.valid ? "有効" : "期限切れ");
  const std::string action = "/designations/" + d.id;
  b << raw("</tbody></table><div class=\"actions\"><a class=\"button secondary\" href=\"") << action
    << raw("/notice\">指定通知書</a></div>")
    << raw("<h3>有効期限延長</h3><p>延長すると暗号化鍵が失効し、ログイン中の場合は強制ログアウト"
           "されます。次回ログイン時にメールアドレスの登録と暗号化鍵ファイルの受け取りが必要です。"
           "</p><form method=\"post\" action=\"")
    << action
    << raw("/extend\" data-confirm=\"有効期限を延長し、暗号化鍵を失効します。よろしいですか。\">")
    << Html().csrf_field(ctx.csrf_token) << raw("<input type=\"hidden\" name=\"doctor\" value=\"")
    << d.user_id << raw("\">") << Html().text_field("expires_on", "新しい指定有効期限", "", "date")
    << raw("<div class=\"actions\"><button type=\"submit\">有効期限を延長する</button></div>"
           "</form><h3>転出（指定の終了）</h3><p>この自治体の指定を終了します。他の指定が残らない"
           "場合はIDを削除し、暗号化鍵を失効します。</p><form method=\"post\" action=\"")
    << action << raw("/end\" data-confirm=\"この指定を終了します。よろしいですか。\">")
    << Html().csrf_field(ctx.csrf_token)
    << raw("<button type=\"submit\" class=\"danger\">転出として指定を終了する</button></form>"
           "</section>");
  return b;
}

Response show_doctor(RequestContext& ctx, const std::string& user_id, std::string_view message = {},
                     bool error = false) {
  auto r = ctx.services.core.user(ctx.who(), user_id);
  if (!r) return error_response(ctx, r.error());
  const auto& u = r.value();
  if (ctx.api) return json_response(http::status::ok, to_json(u));
  Html b;
  if (!message.empty()) b << alert(message, error);
  if (ctx.query_value("done") == "ended")
    b << alert("指定を終了しました。他の指定が残っているため、IDは引き続き有効です。", false);
  b << raw("<table><tbody>");
  auto row = [&b](const char* label, std::string_view value) {
    b << raw("<tr><th scope=\"row\">") << label << raw("</th><td>") << value << raw("</td></tr>");
  };
  row("ID", u.user_id);
  row("氏名", u.name);
  row("氏名（カナ）", u.kana);
  row("医籍登録番号", u.registration_number);
  row("主たる医療機関番号", u.hospital);
  row("状態", std::string(u.locked ? "ロック中 " : "") +
                  (u.setup_step == "active" ? "利用中" : "初回ログイン待ち"));
  b << raw("</tbody></table><div class=\"actions\"><a class=\"button secondary\" href=\"/users/")
    << u.user_id << raw("/idpw-notice\">IDPW発行通知書</a></div>");
  for (const auto& d : u.designations) b << designation_section(ctx, d);
  b << raw("<h2>パスワードの再発行</h2><form method=\"post\" action=\"/doctors/") << u.user_id
    << raw("/reset-password\">") << Html().csrf_field(ctx.csrf_token)
    << raw("<button type=\"submit\" class=\"secondary\">初期パスワードを再発行する</button>"
           "</form>");
  return page(ctx, "指定医の詳細", b);
}

Response doctor_page(RequestContext& ctx) {
  return show_doctor(ctx, ctx.param("id"));
}

Response extend(RequestContext& ctx) {
  // Which doctor's page to show afterwards (the core checks scope when showing it).
  const std::string doctor = ctx.field("doctor");
  auto r =
      ctx.services.core.extend_designation(ctx.who(), ctx.param("id"), ctx.field("expires_on"));
  if (!r) {
    if (ctx.api || doctor.empty()) return error_response(ctx, r.error());
    return show_doctor(ctx, doctor, japanese_message(r.error()), true);
  }
  const auto g = tell_gateway(ctx, r.value());
  if (ctx.api) return json_response(http::status::ok, to_json(r.value(), g));
  return show_doctor(ctx, doctor, "有効期限を延長しました。" + describe(r.value(), g), !g.told);
}

Response end_designation(RequestContext& ctx) {
  auto r = ctx.services.core.end_designation(ctx.who(), ctx.param("id"));
  if (!r) return error_response(ctx, r.error());
  const auto& out = r.value();
  if (!out.id_deleted) {
    if (ctx.api)
      return json_response(http::status::ok, {{"user_id", out.user_id}, {"id_deleted", false}});
    return redirect_to("/doctors/" + out.user_id + "?done=ended");
  }
  const auto g = tell_gateway(ctx, out.revocation);
  if (ctx.api) {
    auto j = to_json(out.revocation, g);
    j["id_deleted"] = true;
    return json_response(http::status::ok, j);
  }
  if (!g.told) return page(ctx, "転出", alert("IDを削除しました。" + describe(out.revocation, g)));
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
    router.add({V::post, p + "/designations/{id}/extend", Access::Roles, municipal, extend});
    router.add({V::post, p + "/designations/{id}/end", Access::Roles, municipal, end_designation});
    router.add(
        {V::post, p + "/doctors/{id}/reset-password", Access::Roles, municipal, reset_password});
  }
}

}  // namespace nanbyo::web
