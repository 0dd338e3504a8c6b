// A doctor's 兼務先 (ID-8, issue 12): the doctor requests a hospital with the
// seed's fields (担当する診療科, 表示/非表示, 連絡先), sees each request's state
// (申請中/承認/却下) and removes one. Nothing is granted until the hospital's
// 責任者 approves (routes_affiliation_requests.cpp); the core enforces the
// limit, the known hospital and the consent.
#include "appcore/web/notices.h"
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::AffiliationState;
using appcore::Role;

std::string date_of(const std::string& iso) {
  return iso.size() >= 10 ? japanese_date(iso.substr(0, 10)) : std::string();
}

// "0", "false" and "hide" mean 非表示; anything else (or nothing) 表示.
bool visible_field(const RequestContext& ctx) {
  const std::string v = ctx.field("visible");
  return !(v == "0" || v == "false" || v == "hide");
}

Html request_form(const RequestContext& ctx) {
  Html b;
  b << raw("<h2>兼務先の申請</h2><p>申請した医療機関の医療機関責任者が承認すると、"
           "その医療機関の端末からログインし、その医療機関の患者の個人票を作成・閲覧できます。"
           "</p><form method=\"post\" action=\"/affiliations\">")
    << Html().csrf_field(ctx.csrf_token)
    << Html().text_field("hospital_number", "医療機関番号（10桁）")
    << Html().text_field("department", "担当する診療科", "", "text", false)
    << raw("<div class=\"field\"><fieldset class=\"choices\"><legend>表示／非表示</legend>"
           "<label class=\"check\"><input type=\"radio\" name=\"visible\" value=\"1\" checked> "
           "表示</label><label class=\"check\"><input type=\"radio\" name=\"visible\" "
           "value=\"0\"> 非表示</label></fieldset></div>")
    << Html().text_field("contact", "連絡先（電話番号など）", "", "tel", false)
    << raw("<button type=\"submit\">申請する</button></form>");
  return b;
}

Response affiliations_page(RequestContext& ctx, std::string_view message = {}, bool error = false) {
  auto r = ctx.services.core.my_affiliations(ctx.who());
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) {
    auto list = nlohmann::json::array();
    for (const auto& a : r.value()) list.push_back(to_json(a));
    return json_response(http::status::ok,
                         {{"affiliations", list}, {"max", appcore::AppCore::kMaxAffiliations}});
  }
  std::size_t held = 0;
  for (const auto& a : r.value())
    if (a.state != AffiliationState::Rejected) ++held;
  Html b;
  if (!message.empty()) b << alert(message, error);
  b << raw("<p>兼務する医療機関を最大") << static_cast<int64_t>(appcore::AppCore::kMaxAffiliations)
    << raw("件まで申請できます（申請中と承認済みの合計）。</p><table><caption>兼務先（")
    << static_cast<int64_t>(r->size())
    << raw("件）</caption><thead><tr><th scope=\"col\">医療機関番号</th>"
           "<th scope=\"col\">名称</th><th scope=\"col\">担当する診療科</th>"
           "<th scope=\"col\">表示</th><th scope=\"col\">連絡先</th>"
           "<th scope=\"col\">状態</th><th scope=\"col\">操作</th></tr></thead><tbody>");
  for (const auto& a : r.value()) {
    b << raw("<tr><td class=\"mono\">") << a.hospital.number << raw("</td><td>") << a.hospital.name
      << raw("</td><td>") << a.department << raw("</td><td>") << (a.visible ? "表示" : "非表示")
      << raw("</td><td>") << a.contact << raw("</td><td class=\"affiliation-state\">")
      << affiliation_state_label(a.state);
    if (!a.decided_at.empty()) b << raw("（") << date_of(a.decided_at) << raw("）");
    if (!a.reason.empty()) b << raw("<br>理由: ") << a.reason;
    b << raw("</td><td><form method=\"post\" class=\"inline\" action=\"/affiliations/")
      << a.hospital.number
      << raw("/delete\" data-confirm=\"この兼務先を削除します。よろしいですか。\">")
      << Html().csrf_field(ctx.csrf_token)
      << raw(a.state == AffiliationState::Pending
                 ? "<button type=\"submit\" class=\"small secondary\">申請を取り下げる</button>"
                 : "<button type=\"submit\" class=\"small secondary\">削除</button>")
      << raw("</form></td></tr>");
  }
  if (r->empty()) b << raw("<tr><td colspan=\"7\">兼務先はありません。</td></tr>");
  b << raw("</tbody></table>");
  if (held < appcore::AppCore::kMaxAffiliations) b << request_form(ctx);
  return page(ctx, "兼務先の登録", b);
}

Response list(RequestContext& ctx) {
  return affiliations_page(ctx);
}

Response request(RequestContext& ctx) {
  appcore::AffiliationRequest req{ctx.field("hospital_number"), ctx.field("department"),
                                  visible_field(ctx), ctx.field("contact")};
  auto r = ctx.services.core.request_affiliation(ctx.who(), req);
  if (!r) {
    if (ctx.api) return error_response(ctx, r.error());
    return affiliations_page(ctx, japanese_message(r.error()), true);
  }
  if (ctx.api) return json_response(http::status::created, to_json(r.value()));
  return affiliations_page(
      ctx, "兼務先を申請しました。医療機関責任者が承認するまで、その医療機関では利用できません。");
}

Response remove(RequestContext& ctx) {
  auto r = ctx.services.core.remove_affiliation(ctx.who(), ctx.who().user_id, ctx.param("number"));
  if (!r) {
    if (ctx.api) return error_response(ctx, r.error());
    return affiliations_page(ctx, japanese_message(r.error()), true);
  }
  if (ctx.api) {
    return json_response(http::status::ok,
                         {{"removed", ctx.param("number")}, {"ended_sessions", r->ended_sessions}});
  }
  return affiliations_page(ctx, "兼務先を削除しました。");
}

}  // namespace

void add_affiliation_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> doctors{Role::NanbyoDoctor, Role::CooperatingDoctor, Role::PediatricDoctor};
  for (const char* prefix : {"", "/api"}) {
    const std::string p(prefix);
    router.add({V::get, p + "/affiliations", Access::Roles, doctors, list});
    router.add({V::post, p + "/affiliations", Access::Roles, doctors, request});
    router.add({V::post, p + "/affiliations/{number}/delete", Access::Roles, doctors, remove});
  }
}

}  // namespace nanbyo::web
