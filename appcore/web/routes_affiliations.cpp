// A doctor's additional hospitals (兼務先, ID-8): up to 10; the core enforces
// the limit and that the hospital exists.
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

Response affiliations_page(RequestContext& ctx, std::string_view message = {}, bool error = false) {
  auto r = ctx.services.core.affiliations(ctx.who());
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) {
    auto list = nlohmann::json::array();
    for (const auto& h : r.value()) list.push_back(to_json(h));
    return json_response(http::status::ok,
                         {{"affiliations", list}, {"max", appcore::AppCore::kMaxAffiliations}});
  }
  Html b;
  if (!message.empty()) b << alert(message, error);
  b << raw("<p>兼務する医療機関を最大") << static_cast<int64_t>(appcore::AppCore::kMaxAffiliations)
    << raw("件まで登録できます。登録した医療機関の端末からもログインし、その医療機関の患者の"
           "個人票を作成できます。</p><table><caption>登録済みの兼務先（")
    << static_cast<int64_t>(r->size())
    << raw("件）</caption><thead><tr><th scope=\"col\">"
           "医療機関番号</th><th scope=\"col\">名称</th>"
           "<th scope=\"col\">所在地</th><th scope=\"col\">操作"
           "</th></tr></thead><tbody>");
  for (const auto& h : r.value()) {
    b << raw("<tr><td class=\"mono\">") << h.number << raw("</td><td>") << h.name
      << raw("</td><td>") << h.address
      << raw("</td><td><form method=\"post\" class=\"inline\" action=\"/affiliations/") << h.number
      << raw("/delete\">") << Html().csrf_field(ctx.csrf_token)
      << raw("<button type=\"submit\" class=\"small secondary\">削除</button></form></td></tr>");
  }
  b << raw("</tbody></table>");
  if (r->size() < appcore::AppCore::kMaxAffiliations) {
    b << raw("<h2>兼務先の追加</h2><form method=\"post\" action=\"/affiliations\">")
      << Html().csrf_field(ctx.csrf_token)
      << Html().text_field("hospital_number", "医療機関番号（10桁）")
      << raw("<button type=\"submit\">追加する</button></form>");
  }
  return page(ctx, "兼務先の登録", b);
}

Response list(RequestContext& ctx) {
  return affiliations_page(ctx);
}

Response add(RequestContext& ctx) {
  auto r = ctx.services.core.add_affiliation(ctx.who(), ctx.field("hospital_number"));
  if (!r) {
    if (ctx.api) return error_response(ctx, r.error());
    return affiliations_page(ctx, japanese_message(r.error()), true);
  }
  if (ctx.api)
    return json_response(http::status::created, {{"added", ctx.field("hospital_number")}});
  return affiliations_page(ctx, "兼務先を追加しました。");
}

Response remove(RequestContext& ctx) {
  auto r = ctx.services.core.remove_affiliation(ctx.who(), ctx.param("number"));
  if (!r) {
    if (ctx.api) return error_response(ctx, r.error());
    return affiliations_page(ctx, japanese_message(r.error()), true);
  }
  if (ctx.api) return json_response(http::status::ok, {{"removed", ctx.param("number")}});
  return affiliations_page(ctx, "兼務先を削除しました。");
}

}  // namespace

void add_affiliation_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> doctors{Role::NanbyoDoctor, Role::CooperatingDoctor, Role::PediatricDoctor};
  for (const char* prefix : {"", "/api"}) {
    const std::string p(prefix);
    router.add({V::get, p + "/affiliations", Access::Roles, doctors, list});
    router.add({V::post, p + "/affiliations", Access::Roles, doctors, add});
    router.add({V::post, p + "/affiliations/{number}/delete", Access::Roles, doctors, remove});
  }
}

}  // namespace nanbyo::web
