// The doctor's work lists (F-6, F-12; issue 18 item 6): the approvals list
// (承認待ち一覧) with its 一括承認, and a form's workflow history, both in pages
// of 10 to 100 rows (表示件数/頁) cut by the core in SQL.
//
// 一括承認 registers exactly the forms whose boxes were ticked on the page the
// doctor sees (each under the same rule as a single approval); forms on other
// pages are not touched, and the page says so.
#include "appcore/web/forms_view.h"
#include "appcore/web/list_paging.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

Response approvals(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  const PageRequest paging = read_page_request(ctx);
  appcore::FormSearch q;
  q.status = "submitted";
  q.assigned_doctor = ctx.who().user_id;
  q.sort = ctx.query_value("sort") == "disease" ? "disease" : "updated";
  q.ascending = ctx.query_value("order") == "asc";
  q.page = paging.page;
  q.per_page = paging.per_page;
  auto r = svc->search_page(ctx.who(), q);
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) return json_response(http::status::ok, to_json(*r));
  const std::string order = q.ascending ? "asc" : "desc";
  Html b;
  b << raw("<p>送付された個人票を選んで一括で承認（登録）します。入力チェックで誤りのある個人票は"
           "登録されません。</p><div class=\"list-head\"><p id=\"approval-count\">承認待ち ")
    << static_cast<int64_t>(r->total) << raw("件</p>")
    << per_page_form("/forms/approvals", {{"sort", q.sort}, {"order", order}}, r->per_page)
    << raw("</div><p id=\"approval-scope\">一括承認の対象は、このページに表示している個人票のうち"
           "選択したものだけです。ほかのページの個人票は承認されません。</p>"
           "<form method=\"post\" action=\"/forms/approve-all\">")
    << Html().csrf_field(ctx.csrf_token)
    << raw("<table id=\"approval-list\"><thead><tr><th scope=\"col\">選択</th>")
    << sort_header("疾病・様式", "disease", q.sort, q.ascending, "/forms/approvals?", r->per_page)
    << raw("<th scope=\"col\">氏名（カナ）</th><th scope=\"col\">送付者</th>")
    << sort_header("更新日時", "updated", q.sort, q.ascending, "/forms/approvals?", r->per_page)
    << raw("</tr></thead><tbody>");
  for (const auto& s : r->rows)
    b << raw("<tr><td><input type=\"checkbox\" name=\"form.") << s.form_id
      << raw("\" value=\"1\" checked aria-label=\"") << s.title + " " + s.patient_kana
      << raw("\"></td><td><a href=\"/forms/") << s.form_id << raw("\">") << s.title
      << raw("</a></td><td>") << s.patient_kana << raw("</td><td class=\"mono\">") << s.created_by
      << raw("</td><td>") << s.updated_at << raw("</td></tr>");
  if (r->rows.empty()) b << raw("<tr><td colspan=\"5\">承認待ちの個人票はありません。</td></tr>");
  b << raw("</tbody></table><div class=\"actions\"><button type=\"submit\">"
           "このページで選択した個人票を一括承認</button></div></form>")
    << page_links("/forms/approvals?sort=" + q.sort + "&order=" + order, r->page, r->per_page,
                  r->total, "approval-pages");
  return page(ctx, "承認待ち一覧", b);
}

Response approve_all(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  std::vector<std::string> ids;
  if (ctx.form) {
    for (const auto& [k, v] : ctx.form->fields())
      if (k.starts_with("form.")) ids.push_back(k.substr(5));
  } else if (ctx.json.contains("form_ids") && ctx.json["form_ids"].is_array()) {
    for (const auto& id : ctx.json["form_ids"])
      if (id.is_string()) ids.push_back(id.get<std::string>());
  }
  auto results = svc->approve_all(ctx.who(), ids);
  if (auto* m = ctx.services.metrics) {
    for (const auto& [id, result] : results)
      if (result) m->form_approved();
  }
  nlohmann::json list = nlohmann::json::array();
  Html b;
  b << raw(
      "<table id=\"approve-results\"><thead><tr><th scope=\"col\">個人票</th><th scope=\"col\">"
      "結果</th><th scope=\"col\">アクセスキー</th></tr></thead><tbody>");
  for (const auto& [id, r] : results) {
    list.push_back({{"form_id", id},
                    {"ok", r.ok()},
                    {"access_key", r ? r->access_key : ""},
                    {"error", r ? "" : japanese_message(r.error())}});
    b << raw("<tr><td><a href=\"/forms/") << id << raw("\">") << id << raw("</a></td><td>")
      << (r ? std::string("登録しました") : japanese_message(r.error()))
      << raw("</td><td class=\"mono\">") << (r ? r->access_key : "") << raw("</td></tr>");
  }
  if (ctx.api) return json_response(http::status::ok, {{"results", list}});
  b << raw("</tbody></table><p><a href=\"/forms/approvals\">承認待ち一覧へ戻る</a></p>");
  return page(ctx, "一括承認の結果", b);
}

// The API's history is the whole list unless a page is asked for.
Response history(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  const std::string id = ctx.param("id");
  const bool paged =
      !ctx.api || !ctx.query_value("page").empty() || !ctx.query_value("per_page").empty();
  if (!paged) {
    auto r = svc->history(ctx.who(), id);
    if (!r) return error_response(ctx, r.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : *r) list.push_back(to_json(e));
    return json_response(http::status::ok, {{"history", list}});
  }
  const PageRequest paging = read_page_request(ctx);
  const bool ascending = ctx.query_value("order") == "asc";
  auto r = svc->history_page(ctx.who(), id, paging.page, paging.per_page, !ascending);
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : r->entries) list.push_back(to_json(e));
    return json_response(
        http::status::ok,
        {{"history", list}, {"total", r->total}, {"page", r->page}, {"per_page", r->per_page}});
  }
  const std::string self = "/forms/" + id + "/history";
  const std::string order = ascending ? "asc" : "desc";
  Html b;
  b << raw("<p><a href=\"/forms/") << id
    << raw("\">個人票へ戻る</a></p><div class=\"list-head\"><p id=\"history-count\">履歴 ")
    << static_cast<int64_t>(r->total) << raw("件（") << (ascending ? "古い順" : "新しい順")
    << raw("）</p>") << per_page_form(self, {{"order", order}}, r->per_page) << raw("</div>")
    << history_table(r->entries,
                     sort_header("日時", "at", "at", ascending, self + "?", r->per_page))
    << page_links(self + "?order=" + order, r->page, r->per_page, r->total, "history-pages");
  return page(ctx, "個人票の履歴", b);
}

}  // namespace

void add_form_worklist_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> doctors{Role::NanbyoDoctor, Role::CooperatingDoctor, Role::PediatricDoctor};
  const std::set<Role> viewers{Role::NanbyoDoctor, Role::CooperatingDoctor, Role::PediatricDoctor,
                               Role::Clerk, Role::MunicipalAdmin};
  for (const char* prefix : {"", "/api"}) {
    const std::string p(prefix);
    router.add({V::get, p + "/forms/approvals", Access::Roles, doctors, approvals});
    router.add({V::post, p + "/forms/approve-all", Access::Roles, doctors, approve_all});
    router.add({V::get, p + "/forms/{id}/history", Access::Roles, viewers, history});
  }
}

}  // namespace nanbyo::web
