// Clinical forms, workflow side (issue 6): submit / pull-back / comment /
// approve / cancel (F-6; the approvals list, 一括承認 and the history are in
// routes_forms_worklist.cpp), carry-over (F-5), print with the
// access key (F-7), access-key lookup (F-8, F-10), the municipality's record
// (F-10), XML export (F-9; the uploads are in routes_form_imports.cpp).
#include "appcore/web/forms_view.h"
#include "appcore/web/notices.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

// The result of a workflow step: JSON, or back to the form screen.
Response after(RequestContext& ctx, const Result<void>& r, const std::string& done) {
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) return json_response(http::status::ok, {{"ok", true}});
  return redirect_to("/forms/" + ctx.param("id") + "?done=" + done);
}

#define FORMS_OR_503         \
  auto* svc = forms_of(ctx); \
  if (!svc) return no_forms(ctx)

Response submit(RequestContext& ctx) {
  FORMS_OR_503;
  return after(ctx,
               svc->submit(ctx.who(), ctx.param("id"), ctx.field("doctor"), ctx.field("comment")),
               "submitted");
}

Response pull_back(RequestContext& ctx) {
  FORMS_OR_503;
  return after(ctx, svc->pull_back(ctx.who(), ctx.param("id"), ctx.field("comment")),
               "pulled-back");
}

Response comment(RequestContext& ctx) {
  FORMS_OR_503;
  return after(ctx, svc->comment(ctx.who(), ctx.param("id"), ctx.field("comment")), "commented");
}

Response cancel(RequestContext& ctx) {
  FORMS_OR_503;
  return after(ctx, svc->cancel(ctx.who(), ctx.param("id"), ctx.field("reason")), "cancelled");
}

Response record(RequestContext& ctx) {
  FORMS_OR_503;
  appcore::MunicipalityRecord m;
  m.certification = ctx.field("certification");
  m.research_consent = ctx.field("research_consent");
  m.income_category = ctx.field("income_category");
  return after(ctx, svc->record_municipality(ctx.who(), ctx.param("id"), m), "recorded");
}

Response approve_form(RequestContext& ctx) {
  FORMS_OR_503;
  auto r = svc->approve(ctx.who(), ctx.param("id"), ctx.field("comment"));
  if (!r) return error_response(ctx, r.error());
  if (ctx.services.metrics) ctx.services.metrics->form_approved();
  if (ctx.api) return json_response(http::status::ok, {{"form", to_json(*r)}});
  return redirect_to("/forms/" + r->form_id + "?done=approved");
}

Response carry_over(RequestContext& ctx) {
  FORMS_OR_503;
  auto r = svc->carry_over(ctx.who(), ctx.param("id"));
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) {
    nlohmann::json j{{"form", to_json(*r)}, {"changes", nlohmann::json::array()}};
    if (auto d = svc->diff(ctx.who(), r->form_id))
      for (const auto& c : *d)
        j["changes"].push_back(
            {{"field", c.field}, {"label", c.label}, {"before", c.before}, {"after", c.after}});
    return json_response(http::status::created, j);
  }
  // From a previous version: the items that could not be carried are named.
  std::string not_carried;
  for (const auto& item : r->not_carried)
    not_carried += (not_carried.empty() ? "" : ",") + url_encode(item);
  return redirect_to("/forms/" + r->form_id + "?done=carried" +
                     (not_carried.empty() ? "" : "&not_carried=" + not_carried));
}

Response diff(RequestContext& ctx) {
  FORMS_OR_503;
  auto r = svc->diff(ctx.who(), ctx.param("id"));
  if (!r) return error_response(ctx, r.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : *r)
    list.push_back(
        {{"field", c.field}, {"label", c.label}, {"before", c.before}, {"after", c.after}});
  return json_response(http::status::ok, {{"changes", list}});
}

Response print(RequestContext& ctx) {
  FORMS_OR_503;
  auto r = svc->print_view(ctx.who(), ctx.param("id"), ctx.query_value("masked") == "1");
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) return json_response(http::status::ok, to_json(*r));
  const auto& v = *r;
  Html b;
  b << print_button() << raw("<section class=\"sheet form-print\" aria-label=\"") << v.form_type
    << raw("\"><h2>") << v.title + " " + v.form_type
    << raw("</h2><p class=\"access-key\">アクセスキー: "
           "<span class=\"mono\" id=\"print-access-key\">")
    << (v.access_key.empty() ? "（未登録）" : v.access_key) << raw("</span></p>");
  if (v.masked)
    b << raw(
        "<p class=\"masked-note\" id=\"masked-note\">個人情報はマスクしています（＊＊＊）。</p>");
  for (const auto& s : v.sections) {
    b << raw("<h3>") << s.title << raw("</h3><table><tbody>");
    for (const auto& row : s.rows)
      b << raw("<tr><th scope=\"row\">") << row.label << raw("</th><td class=\"pre\">") << row.value
        << raw("</td></tr>");
    b << raw("</tbody></table>");
  }
  b << judgment_panel(v.judgments) << raw("</section>");
  return page(ctx, v.masked ? "個人票の印刷（マスク）" : "個人票の印刷", b);
}

Response export_xml(RequestContext& ctx) {
  FORMS_OR_503;
  auto r = svc->export_xml(ctx.who(), ctx.param("id"));
  if (!r) return error_response(ctx, r.error());
  return download("application/xml; charset=utf-8",
                  "form-" + ctx.param("id").substr(0, 12) + ".xml", std::move(r).value());
}

Response xsd(RequestContext& ctx) {
  FORMS_OR_503;
  return download("application/xml; charset=utf-8", "nanbyo-forms.xsd", svc->xsd());
}

Response access_key_page(RequestContext& ctx) {
  Html b;
  b << raw("<p>個人票に印字されたアクセスキー（16文字）を入力してください。照会は記録され、回数に"
           "上限があります。</p><form method=\"post\" action=\"/forms/access-key\">")
    << Html().csrf_field(ctx.csrf_token)
    << Html().text_field("access_key", "アクセスキー", "", "text", true)
    << raw("<div class=\"actions\"><button type=\"submit\">照会する</button></div></form>");
  return page(ctx, "アクセスキーで照会", b);
}

Response access_key_lookup(RequestContext& ctx) {
  FORMS_OR_503;
  auto r = svc->find_by_access_key(ctx.who(), ctx.field("access_key"));
  if (!r) return error_response(ctx, r.error());
  if (ctx.api)
    return json_response(http::status::ok,
                         {{"form", to_json(r->summary)}, {"values", values_to_json(r->values)}});
  return redirect_to("/forms/" + r->summary.form_id);
}

}  // namespace

void add_form_flow_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> staff{Role::NanbyoDoctor, Role::CooperatingDoctor, Role::PediatricDoctor,
                             Role::Clerk};
  const std::set<Role> doctors{Role::NanbyoDoctor, Role::CooperatingDoctor, Role::PediatricDoctor};
  std::set<Role> viewers = staff;
  viewers.insert(Role::MunicipalAdmin);
  std::set<Role> lookup = doctors;
  lookup.insert(Role::MunicipalAdmin);
  for (const char* prefix : {"", "/api"}) {
    const std::string p(prefix);
    router.add({V::get, p + "/forms/access-key", Access::Roles, lookup, access_key_page});
    router.add({V::post, p + "/forms/access-key", Access::Roles, lookup, access_key_lookup});
    router.add({V::get, p + "/forms/xsd", Access::Roles, viewers, xsd});
    router.add({V::post, p + "/forms/{id}/submit", Access::Roles, staff, submit});
    router.add({V::post, p + "/forms/{id}/pull-back", Access::Roles, staff, pull_back});
    router.add({V::post, p + "/forms/{id}/comment", Access::Roles, staff, comment});
    router.add({V::post, p + "/forms/{id}/approve", Access::Roles, doctors, approve_form});
    router.add({V::post, p + "/forms/{id}/cancel", Access::Roles, staff, cancel});
    router.add({V::post, p + "/forms/{id}/carry-over", Access::Roles, staff, carry_over});
    router.add(
        {V::post, p + "/forms/{id}/municipality", Access::Roles, {Role::MunicipalAdmin}, record});
    router.add({V::get, p + "/forms/{id}/diff", Access::Roles, staff, diff});
    router.add({V::get, p + "/forms/{id}/print", Access::Roles, viewers, print});
    router.add({V::get, p + "/forms/{id}/export.xml", Access::Roles, staff, export_xml});
  }
}

}  // namespace nanbyo::web
