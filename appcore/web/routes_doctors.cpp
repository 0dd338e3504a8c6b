// Municipality: register a designated doctor (ID-1), the doctor list, the
// printable notices (ID-3) and the public list (ID-9).
#include "appcore/web/notices.h"
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

std::string today(const RequestContext& ctx) {
  return japanese_date(format_utc(ctx.services.clock.now()).substr(0, 10));
}

appcore::DoctorInput doctor_input(const RequestContext& ctx) {
  appcore::DoctorInput d;
  d.name = ctx.field("name");
  d.kana = ctx.field("kana");
  d.registration_number = ctx.field("registration_number");
  d.kind = appcore::role_from_string(ctx.field("kind")).value_or(Role::NanbyoDoctor);
  d.hospital_number = ctx.field("hospital_number");
  d.hospital_name = ctx.field("hospital_name");
  d.hospital_address = ctx.field("hospital_address");
  d.department = ctx.field("department");
  d.designated_on = ctx.field("designated_on");
  d.expires_on = ctx.field("expires_on");
  d.doctor_number = ctx.field("doctor_number");
  return d;
}

Response doctor_form(RequestContext& ctx, std::string_view error = {},
                     http::status status = http::status::ok) {
  Html b;
  if (!error.empty()) b << alert(error);
  b << raw("<p>"
           "医籍登録番号で既にIDを発行済みかどうかを確認し、未発行の場合にID・初期パスワードを発行"
           "します。発行済みの医師（他の自治体で指定された医師を含む）には、同じIDに今回の指定を"
           "追加します。</p>"
           "<form method=\"post\" action=\"/doctors\">")
    << Html().csrf_field(ctx.csrf_token) << Html().text_field("name", "氏名", ctx.field("name"))
    << Html().text_field("kana", "氏名（カナ）", ctx.field("kana"), "text", false)
    << Html().text_field("registration_number", "医籍登録番号", ctx.field("registration_number"))
    << raw("<div class=\"field\"><label for=\"f-kind\">指定医の種別<span class=\"req\">必須</span>"
           "</label><select id=\"f-kind\" name=\"kind\">");
  for (Role r : {Role::NanbyoDoctor, Role::CooperatingDoctor, Role::PediatricDoctor}) {
    const auto value = appcore::to_string(r);
    b << raw("<option value=\"") << value << raw("\"")
      << raw(ctx.field("kind") == value ? " selected" : "") << raw(">") << role_label(r)
      << raw("</option>");
  }
  b << raw("</select></div>")
    << Html().text_field("hospital_number", "医療機関番号（10桁）", ctx.field("hospital_number"))
    << Html().text_field("hospital_name", "医療機関の名称", ctx.field("hospital_name"), "text",
                         false)
    << Html().text_field("hospital_address", "医療機関の所在地", ctx.field("hospital_address"),
                         "text", false)
    << Html().text_field("department", "診療科名", ctx.field("department"))
    << Html().text_field("designated_on", "指定年月日", ctx.field("designated_on"), "date")
    << Html().text_field("expires_on", "指定有効期限", ctx.field("expires_on"), "date")
    << Html().text_field("doctor_number", "指定医番号", ctx.field("doctor_number"))
    << raw("<div class=\"actions\"><button type=\"submit\">登録してIDを発行</button></div></form>");
  return page(ctx, "指定医の登録", b, status);
}

Response new_doctor(RequestContext& ctx) {
  return doctor_form(ctx);
}

Response create_doctor(RequestContext& ctx) {
  auto r = ctx.services.core.register_doctor(ctx.who(), doctor_input(ctx));
  if (!r) {
    if (ctx.api) return error_response(ctx, r.error());
    return doctor_form(ctx, japanese_message(r.error()), status_for(r.error()));
  }
  const auto& out = r.value();
  using appcore::RegistrationStatus;
  if (ctx.api) {
    nlohmann::json j{{"status", appcore::to_string(out.status)},
                     {"user_id", out.user_id},
                     {"designation_id", out.designation_id},
                     {"warnings", out.warnings}};
    if (out.status != RegistrationStatus::AlreadyRegistered) j["notice"] = to_json(out.notice);
    if (out.status == RegistrationStatus::Issued) j["credential"] = to_json(out.credential);
    return json_response(out.status == RegistrationStatus::AlreadyRegistered
                             ? http::status::ok
                             : http::status::created,
                         j);
  }
  Html b;
  for (const auto& w : out.warnings) b << alert("確認してください: " + w);
  if (out.status == RegistrationStatus::AlreadyRegistered) {
    b << alert("この指定は既に登録されています（ID: " + out.user_id + "）。変更はありません。",
               false)
      << raw("<p><a href=\"/doctors/") << out.user_id << raw("\">登録内容を確認する</a></p>");
    return page(ctx, "登録済みの指定", b);
  }
  if (out.status == RegistrationStatus::DesignationAdded) {
    b << raw("<div class=\"no-print\">")
      << alert(
             "この医籍登録番号の医師には既にIDが発行されているため、同じIDに今回の指定を追加"
             "しました。パスワードは変わりません。指定通知書を印刷してください。",
             false)
      << raw("</div>") << print_button() << designation_notice_sheet(out.notice, today(ctx));
    return page(ctx, "指定の追加完了", b, http::status::created);
  }
  appcore::IdPasswordNotice idpw{out.credential.user_id,
                                 out.credential.initial_password,
                                 out.credential.password_expires_at,
                                 out.notice.doctor_name,
                                 std::string(appcore::to_string(doctor_input(ctx).kind)),
                                 out.notice.hospital_name};
  b << raw("<div class=\"no-print\">")
    << alert(
           "IDを発行しました。初期パスワードはこの画面でのみ表示されます。通知書を印刷してください"
           "。",
           false)
    << raw("</div>") << print_button() << designation_notice_sheet(out.notice, today(ctx))
    << id_password_notice_sheet(idpw, today(ctx));
  return page(ctx, "指定医の登録完了", b, http::status::created);
}

Response list_doctors(RequestContext& ctx) {
  auto r = ctx.services.core.list_doctors(ctx.who());
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) {
    auto list = nlohmann::json::array();
    for (const auto& u : r.value()) list.push_back(to_json(u));
    return json_response(http::status::ok, {{"doctors", list}});
  }
  Html b;
  if (ctx.query_value("done") == "transfer")
    b << alert("転出の処理を行い、IDを削除しました。", false);
  b << raw("<div class=\"actions\"><a class=\"button\" href=\"/doctors/new\">指定医の登録</a>"
           "<a class=\"button secondary\" href=\"/imports/new\">一括登録</a></div>"
           "<table><caption>登録済みの指定医（")
    << static_cast<int64_t>(r->size())
    << raw("名）</caption><thead><tr><th scope=\"col\">ID</th><th scope=\"col\">氏名</th>"
           "<th scope=\"col\">指定医種別</th><th scope=\"col\">医療機関番号</th><th scope=\"col\">"
           "指定医番号</th><th scope=\"col\">指定有効期限</th><th scope=\"col\">状態</th></tr>"
           "</thead><tbody>");
  // One line per designation of this municipality; a doctor with two shows twice.
  for (const auto& u : r.value()) {
    for (const auto& d : u.designations) {
      b << raw("<tr><td class=\"mono\"><a href=\"/doctors/") << u.user_id << raw("\">") << u.user_id
        << raw("</a></td><td>") << u.name << raw("</td><td>") << role_label(d.kind)
        << raw("</td><td>") << d.hospital << raw("</td><td>") << d.doctor_number << raw("</td><td>")
        << japanese_date(d.expires_on) << raw("</td><td>") << (d.valid ? "" : "期限切れ ")
        << (u.locked ? "ロック中 " : "")
        << (u.setup_step == "active" ? "利用中" : "初回ログイン待ち") << raw("</td></tr>");
    }
  }
  b << raw("</tbody></table>");
  return page(ctx, "指定医一覧", b);
}

Response designation_notice(RequestContext& ctx) {
  auto r = ctx.services.core.designation_notice(ctx.who(), ctx.param("id"));
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) return json_response(http::status::ok, to_json(r.value()));
  Html b;
  b << print_button() << designation_notice_sheet(r.value(), today(ctx));
  return page(ctx, "指定通知書", b);
}

Response idpw_notice(RequestContext& ctx) {
  auto r = ctx.services.core.id_password_notice(ctx.who(), ctx.param("id"));
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) return json_response(http::status::ok, to_json(r.value()));
  Html b;
  b << print_button() << id_password_notice_sheet(r.value(), today(ctx));
  return page(ctx, "IDPW発行通知書", b);
}

Response public_list_page(RequestContext& ctx) {
  Html b;
  b << raw(
      "<p>自治体のホームページで公表するための指定医の一覧（有効な指定医のみ）を"
      "CSVファイル（UTF-8）でダウンロードします。</p><div class=\"actions\">"
      "<a class=\"button\" href=\"/doctors/public-list.csv\" download>CSVをダウンロード</a></div>");
  return page(ctx, "指定医の公表", b);
}

Response public_list_csv(RequestContext& ctx) {
  auto r = ctx.services.core.export_public_doctor_list(ctx.who());
  if (!r) return error_response(ctx, r.error());
  return download("text/csv; charset=utf-8", "designated-doctors.csv", std::move(r).value());
}

}  // namespace

void add_doctor_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> municipal{Role::MunicipalAdmin};
  router.add({V::get, "/doctors", Access::Roles, municipal, list_doctors});
  router.add({V::get, "/api/doctors", Access::Roles, municipal, list_doctors});
  router.add({V::get, "/doctors/new", Access::Roles, municipal, new_doctor});
  router.add({V::post, "/doctors", Access::Roles, municipal, create_doctor});
  router.add({V::post, "/api/doctors", Access::Roles, municipal, create_doctor});
  router.add({V::get, "/doctors/public-list", Access::Roles, municipal, public_list_page});
  router.add({V::get, "/doctors/public-list.csv", Access::Roles, municipal, public_list_csv});
  router.add({V::get, "/api/doctors/public-list.csv", Access::Roles, municipal, public_list_csv});
  // Notices: the municipality for its doctors, a 責任者 for the hospital's users (core decides
  // scope).
  for (const char* prefix : {"", "/api"}) {
    const std::string p(prefix);
    router.add(
        {V::get, p + "/designations/{id}/notice", Access::Roles, municipal, designation_notice});
    router.add({V::get, p + "/users/{id}/idpw-notice", Access::Roles, {}, idpw_notice});
  }
}

}  // namespace nanbyo::web
