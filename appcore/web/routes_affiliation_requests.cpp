// The 責任者's side of 兼務先 by consent (ID-8, issue 12): the requests of
// other hospitals' doctors naming this hospital, approved or rejected (with an
// optional reason), and the removal of an approved one. The core checks that
// the caller is the 責任者 of this hospital and audits every decision.
#include "appcore/web/notices.h"
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::AffiliationDecision;
using appcore::AffiliationState;
using appcore::Role;

Html decision_forms(const RequestContext& ctx, const appcore::Affiliation& a) {
  const std::string base = "/affiliation-requests/" + a.user_id;
  Html h;
  if (a.state == AffiliationState::Pending) {
    h << raw("<form method=\"post\" class=\"inline\" action=\"") << base << raw("/approve\">")
      << Html().csrf_field(ctx.csrf_token)
      << raw("<button type=\"submit\" class=\"small\">承認</button></form> "
             "<form method=\"post\" class=\"inline\" action=\"")
      << base << raw("/reject\">") << Html().csrf_field(ctx.csrf_token)
      << raw("<label for=\"reason-") << a.user_id << raw("\">却下の理由（任意）</label>")
      << raw("<input type=\"text\" class=\"small\" name=\"reason\" maxlength=\"200\" id=\"reason-")
      << a.user_id
      << raw("\"> <button type=\"submit\" class=\"small secondary\">却下</button></form>");
  } else if (a.state == AffiliationState::Approved) {
    h << raw("<form method=\"post\" class=\"inline\" action=\"") << base
      << raw("/delete\" data-confirm=\"この医師の兼務を解除します。よろしいですか。\">")
      << Html().csrf_field(ctx.csrf_token)
      << raw("<button type=\"submit\" class=\"small danger\">兼務を解除</button></form>");
  }
  return h;
}

Response requests_page(RequestContext& ctx, std::string_view message = {}, bool error = false) {
  auto r = ctx.services.core.affiliation_requests_for_my_hospital(ctx.who());
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) {
    auto list = nlohmann::json::array();
    for (const auto& a : r.value()) list.push_back(to_json(a));
    return json_response(http::status::ok, {{"requests", list}});
  }
  Html b;
  if (!message.empty()) b << alert(message, error);
  b << raw("<p>他の医療機関の指定医から、この医療機関を兼務先とする申請が届きます。"
           "承認すると、その医師はこの医療機関の端末からログインし、この医療機関の患者の"
           "個人票を作成・閲覧できます。</p><table><caption>兼務先の申請（")
    << static_cast<int64_t>(r->size())
    << raw("件）</caption><thead><tr><th scope=\"col\">ID</th><th scope=\"col\">氏名</th>"
           "<th scope=\"col\">担当する診療科</th><th scope=\"col\">連絡先</th>"
           "<th scope=\"col\">申請日</th><th scope=\"col\">状態</th>"
           "<th scope=\"col\">操作</th></tr></thead><tbody>");
  for (const auto& a : r.value()) {
    b << raw("<tr><td class=\"mono\">") << a.user_id << raw("</td><td>") << a.doctor_name
      << raw("</td><td>") << a.department << raw("</td><td>") << a.contact << raw("</td><td>")
      << (a.requested_at.size() >= 10 ? japanese_date(a.requested_at.substr(0, 10)) : "")
      << raw("</td><td class=\"affiliation-state\">") << affiliation_state_label(a.state);
    if (!a.reason.empty()) b << raw("<br>理由: ") << a.reason;
    b << raw("</td><td>") << decision_forms(ctx, a) << raw("</td></tr>");
  }
  if (r->empty()) b << raw("<tr><td colspan=\"7\">兼務先の申請はありません。</td></tr>");
  b << raw("</tbody></table>");
  return page(ctx, "兼務先の承認", b);
}

Response list_requests(RequestContext& ctx) {
  return requests_page(ctx);
}

Response decide(RequestContext& ctx, AffiliationDecision decision) {
  const appcore::Principal& who = ctx.who();
  auto r = ctx.services.core.decide_affiliation(who, ctx.param("id"), who.hospital, decision,
                                                ctx.field("reason"));
  if (!r) {
    if (ctx.api) return error_response(ctx, r.error());
    return requests_page(ctx, japanese_message(r.error()), true);
  }
  if (ctx.api) return json_response(http::status::ok, to_json(r.value()));
  return requests_page(ctx, decision == AffiliationDecision::Approve
                                ? "兼務先の申請を承認しました。"
                                : "兼務先の申請を却下しました。");
}

Response approve(RequestContext& ctx) {
  return decide(ctx, AffiliationDecision::Approve);
}
Response reject(RequestContext& ctx) {
  return decide(ctx, AffiliationDecision::Reject);
}

Response remove_request(RequestContext& ctx) {
  auto r = ctx.services.core.remove_affiliation(ctx.who(), ctx.param("id"), ctx.who().hospital);
  if (!r) {
    if (ctx.api) return error_response(ctx, r.error());
    return requests_page(ctx, japanese_message(r.error()), true);
  }
  if (ctx.api) {
    return json_response(http::status::ok,
                         {{"removed", ctx.param("id")}, {"ended_sessions", r->ended_sessions}});
  }
  return requests_page(ctx, "兼務を解除しました。この医療機関の端末でのその医師のセッション（" +
                                std::to_string(r->ended_sessions) + "件）も終了しました。");
}

}  // namespace

void add_affiliation_request_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> hospital{Role::HospitalAdmin, Role::NanbyoDoctor, Role::CooperatingDoctor,
                                Role::PediatricDoctor};
  for (const char* prefix : {"", "/api"}) {
    const std::string p = std::string(prefix) + "/affiliation-requests";
    router.add({V::get, p, Access::Roles, hospital, list_requests});
    router.add({V::post, p + "/{id}/approve", Access::Roles, hospital, approve});
    router.add({V::post, p + "/{id}/reject", Access::Roles, hospital, reject});
    router.add({V::post, p + "/{id}/delete", Access::Roles, hospital, remove_request});
  }
}

}  // namespace nanbyo::web
