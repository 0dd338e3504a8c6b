// Operator (運用事業者) set-up: municipalities, hospitals, and the staff users
// (municipal administrators, operators, auditors) whose ID/PW are shown once.
#include "appcore/web/notices.h"
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

Response operator_page(RequestContext& ctx, std::string_view message = {}, bool error = false) {
  Html b;
  if (!message.empty()) b << alert(message, error);
  b << raw("<h2>自治体の登録</h2><form method=\"post\" action=\"/operator/municipalities\">")
    << Html().csrf_field(ctx.csrf_token) << Html().text_field("code", "地方公共団体コード（6桁）")
    << Html().text_field("name", "名称", "", "text", true, "off", "municipality")
    << raw("<button type=\"submit\">登録する</button></form>"
           "<h2>医療機関の登録</h2><form method=\"post\" action=\"/operator/hospitals\">")
    << Html().csrf_field(ctx.csrf_token) << Html().text_field("number", "医療機関番号（10桁）")
    << Html().text_field("name", "名称", "", "text", true, "off", "hospital")
    << Html().text_field("address", "所在地")
    << raw("<button type=\"submit\">登録する</button></form>"
           "<h2>自治体管理者などの登録</h2><form method=\"post\" action=\"/operator/staff\">")
    << Html().csrf_field(ctx.csrf_token)
    << raw("<div class=\"field\"><label for=\"f-role\">区分</label><select id=\"f-role\" "
           "name=\"role\">");
  for (Role r : {Role::MunicipalAdmin, Role::Operator, Role::SecurityAuditor})
    b << raw("<option value=\"") << appcore::to_string(r) << raw("\">") << role_label(r)
      << raw("</option>");
  b << raw("</select></div>") << Html().text_field("name", "氏名", "", "text", true, "off", "staff")
    << Html().text_field("kana", "氏名（カナ）", "", "text", false, "off", "staff")
    << Html().text_field("municipality", "地方公共団体コード（自治体管理者のみ）", "", "text",
                         false)
    << raw("<button type=\"submit\">登録してID・パスワードを発行</button></form>");
  return page(ctx, "運用管理", b);
}

Response show_operator_page(RequestContext& ctx) {
  return operator_page(ctx);
}

Response done(RequestContext& ctx, Result<void> r, std::string_view message) {
  if (!r)
    return ctx.api ? error_response(ctx, r.error())
                   : operator_page(ctx, japanese_message(r.error()), true);
  if (ctx.api) return json_response(http::status::created, {{"done", true}});
  return operator_page(ctx, message);
}

Response municipality(RequestContext& ctx) {
  return done(
      ctx,
      ctx.services.core.register_municipality(ctx.who(), {ctx.field("code"), ctx.field("name")}),
      "自治体を登録しました。");
}

Response hospital(RequestContext& ctx) {
  return done(
      ctx,
      ctx.services.core.register_hospital(
          ctx.who(), {ctx.field("number"), ctx.field("name"), ctx.field("address"), "", ""}),
      "医療機関を登録しました。");
}

Response staff(RequestContext& ctx) {
  auto role = appcore::role_from_string(ctx.field("role"));
  if (!role)
    return error_response(ctx, http::status::bad_request, "invalid-input",
                          "区分が正しくありません。");
  auto r = ctx.services.core.create_staff_user(ctx.who(), *role, ctx.field("name"),
                                               ctx.field("kana"), ctx.field("municipality"));
  if (!r)
    return ctx.api ? error_response(ctx, r.error())
                   : operator_page(ctx, japanese_message(r.error()), true);
  if (ctx.api) return json_response(http::status::created, to_json(r.value()));
  appcore::IdPasswordNotice n{r->user_id,
                              r->initial_password,
                              r->password_expires_at,
                              ctx.field("name"),
                              std::string(appcore::to_string(*role)),
                              ""};
  Html b;
  b << raw("<div class=\"no-print\">") << alert("ID・パスワードを発行しました。", false)
    << raw("</div>") << print_button()
    << id_password_notice_sheet(n,
                                japanese_date(format_utc(ctx.services.clock.now()).substr(0, 10)));
  return page(ctx, "ID・パスワードの発行", b, http::status::created);
}

}  // namespace

void add_operator_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> op{Role::Operator};
  router.add({V::get, "/operator", Access::Roles, op, show_operator_page});
  for (const char* prefix : {"/operator", "/api"}) {
    const std::string p(prefix);
    router.add({V::post, p + "/municipalities", Access::Roles, op, municipality});
    router.add({V::post, p + "/staff", Access::Roles, op, staff});
  }
  // Hospitals: operators and municipalities (the core checks which).
  const std::set<Role> hospitals{Role::Operator, Role::MunicipalAdmin};
  router.add({V::post, "/operator/hospitals", Access::Roles, op, hospital});
  router.add({V::post, "/api/hospitals", Access::Roles, hospitals, hospital});
}

}  // namespace nanbyo::web
