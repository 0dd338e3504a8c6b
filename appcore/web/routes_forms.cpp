// Clinical forms, entry side (issue 6): search list (F-12), new form, entry
// and temporary save (F-1), check (F-2), auto-calculation (F-3), the form
// screen with its judgment panel (F-4) and workflow panel (routes_forms_flow.cpp).
#include "appcore/web/routes_forms.h"
#include "appcore/web/forms_list.h"
#include "appcore/web/forms_view.h"
#include "appcore/web/notices.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

std::string done_text(const std::string& done) {
  if (done == "saved") return "一時保存しました。";
  if (done == "checked") return "一時保存し、入力チェックを行いました。";
  if (done == "submitted") return "指定医へ送付しました。";
  if (done == "pulled-back") return "引き戻しました。";
  if (done == "commented") return "コメントを記録しました。";
  if (done == "approved") return "承認し、登録しました。アクセスキーを発行しました。";
  if (done == "cancelled") return "登録を解除しました。";
  if (done == "carried") return "前回の内容を引き継いで新しい個人票を作成しました（更新登録）。";
  if (done == "recorded") return "認定結果等を記録しました。";
  return {};
}

// The labels of the former items named by the carry-over redirect (ids, as
// any version of the form calls them); unknown ids are left out, so the
// notice never repeats text from the address.
std::string not_carried_labels(const forms::FormCatalog& catalog, const forms::FormDefinition& def,
                               const std::string& ids) {
  std::vector<const forms::FormDefinition*> versions{catalog.find(def.id)};
  for (const auto& p : catalog.previous_versions()) versions.push_back(p.forms->find(def.id));
  std::string out;
  std::size_t start = 0;
  while (start < ids.size()) {
    std::size_t end = std::min(ids.find(',', start), ids.size());
    const std::string id = ids.substr(start, end - start);
    start = end + 1;
    for (const auto* v : versions)
      if (const auto* f = v ? v->field(id) : nullptr) {
        out += (out.empty() ? "" : "、") + f->label;
        break;
      }
  }
  return out;
}

Response list_page(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  appcore::FormSearch q = read_form_list_query(ctx);
  // 疾病: 告示番号 or a part of the name, any master disease (issue 18).
  const std::string disease = ctx.query_value("disease");
  if (!disease.empty()) {
    for (const auto* d : svc->catalog().search(disease, 500)) q.definitions.push_back(d->form_id);
    if (q.definitions.empty()) q.definitions.push_back("-");  // nothing matches
  }
  auto r = svc->search_page(ctx.who(), q);
  if (!r) return error_response(ctx, r.error());
  if (ctx.api) return json_response(http::status::ok, to_json(*r));
  Html b;
  b << raw(
      "<div class=\"actions\"><a class=\"button\" href=\"/forms/new\">新しい個人票を作成</a>"
      "<a class=\"button secondary\" href=\"/forms/approvals\">承認待ち一覧</a>"
      "<a class=\"button secondary\" href=\"/forms/imports/new\">XML一括登録</a></div>"
      "<form method=\"get\" action=\"/forms\" class=\"search\" "
      "id=\"form-search\"><h2>検索条件</h2>");
  b << Html().text_field("disease", "疾病（告示番号または病名）", disease, "search", false);
  if (!q.definition.empty())
    b << raw("<input type=\"hidden\" name=\"definition\" value=\"") << q.definition << raw("\">");
  Html::Options statuses{{"", "（すべて）"}};
  for (const char* s : {"draft", "submitted", "registered", "cancelled"})
    statuses.emplace_back(s, status_label(s));
  b.select_field("f-status", "status", "ステータス", statuses, q.status);
  b.select_field("f-application-type", "application_type", "申請種別",
                 {{"", "（すべて）"}, {"new", "新規"}, {"renewal", "更新"}}, q.application_type);
  b.select_field("f-source", "source", "登録種別",
                 {{"", "（すべて）"}, {"web", "画面"}, {"xml-upload", "XML"}, {"paper-scan", "紙"}},
                 q.source);
  b.select_field("f-sex", "sex", "性別", {{"", "（すべて）"}, {"male", "男性"}, {"female", "女性"}},
                 q.sex);
  b << Html().text_field("insured_number", "被保険者番号", q.insured_number, "text", false)
    << Html().text_field("patient_kana", "氏名（カナ）", q.patient_kana, "text", false)
    << Html().text_field("birth_date", "生年月日", q.birth_date, "date", false)
    << Html().text_field("access_key", "アクセスキー", q.access_key, "text", false)
    << raw("<input type=\"hidden\" name=\"per_page\" value=\"") << static_cast<int64_t>(r->per_page)
    << raw("\"><div class=\"actions\"><button type=\"submit\">検索</button>"
           "<a class=\"button secondary\" href=\"/forms\">クリア</a></div></form>"
           "<h2>個人票の一覧</h2>")
    << form_list_html(ctx, *r, q);
  return page(ctx, "臨床調査個人票・医療意見書", b);
}

Response new_page(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  const auto* def = svc->catalog().find(ctx.query_value("definition"));
  const std::string q = ctx.query_value("q");
  if (ctx.api) {
    // Without q: the specific definitions; with q: the master diseases found.
    nlohmann::json list = nlohmann::json::array();
    if (q.empty()) {
      for (const auto& d : svc->catalog().definitions())
        list.push_back({{"id", d.id},
                        {"title", d.title},
                        {"form_type", d.form_type},
                        {"kind", d.kind},
                        {"notice_no", d.notice_no},
                        {"version", d.version}});
      return json_response(http::status::ok, {{"definitions", list}});
    }
    for (const auto* d : svc->catalog().search(q, 200))
      list.push_back({{"id", d->form_id},
                      {"title", d->name},
                      {"kind", d->kind},
                      {"group", d->group},
                      {"notice_no", d->number},
                      {"specific", d->specific}});
    return json_response(http::status::ok, {{"diseases", list}});
  }
  if (!def) return page(ctx, "個人票の作成", disease_picker(svc->catalog(), q));
  return form_screen(ctx, *def, {}, nullptr, {}, false);
}

Response save(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  const std::string id = ctx.params.count("id") ? ctx.param("id") : "";
  std::optional<appcore::FormSummary> summary;
  std::string definition = ctx.field("definition");
  if (!id.empty()) {
    auto rec = svc->get(ctx.who(), id);
    if (!rec) return error_response(ctx, rec.error());
    summary = rec->summary;
    definition = rec->summary.definition;
  }
  // A stored form keeps its version's definition (issue 18 item 4).
  const auto* def = summary ? svc->catalog().stored(definition, summary->version)
                            : svc->catalog().find(definition);
  if (!def)
    return error_response(ctx, http::status::bad_request, "unknown-definition",
                          "疾病の様式が見つかりません。");
  auto values = values_from_request(ctx, *def);
  const std::string action = ctx.field("action").empty() ? "save" : ctx.field("action");
  if (action == "calculate") {
    forms::apply_calculations(*def, values);
    if (ctx.api) {
      return json_response(http::status::ok,
                           {{"values", values_to_json(values)},
                            {"evaluation", to_json(svc->evaluate(*def, values))}});
    }
    return form_screen(ctx, *def, values, summary ? &*summary : nullptr,
                       "自動計算の結果を入力しました（まだ保存されていません）。", false);
  }
  auto saved = svc->save_draft(ctx.who(), id, def->id, values);
  if (!saved) {
    if (ctx.api) return error_response(ctx, saved.error());
    return form_screen(ctx, *def, values, summary ? &*summary : nullptr,
                       japanese_message(saved.error()), true);
  }
  if (ctx.api) {
    return json_response(
        id.empty() ? http::status::created : http::status::ok,
        {{"form", to_json(*saved)}, {"evaluation", to_json(svc->evaluate(*def, values))}});
  }
  return redirect_to("/forms/" + saved->form_id +
                     (action == "check" ? "?done=checked#check-result" : "?done=saved"));
}

Response show(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  auto rec = svc->get(ctx.who(), ctx.param("id"));
  if (!rec) return error_response(ctx, rec.error());
  const auto* def = svc->catalog().stored(rec->summary.definition, rec->summary.version);
  if (!def)
    return error_response(ctx, http::status::internal_server_error, "definition",
                          "様式の定義が読み込まれていません。");
  if (ctx.api) {
    const auto eval = svc->evaluate(*def, rec->values);
    const auto& m = rec->municipality;
    return json_response(http::status::ok,
                         {{"form", to_json(rec->summary)},
                          {"values", values_to_json(rec->values)},
                          {"stored_judgments",
                           to_json(appcore::FormEvaluation{{}, {}, rec->judgments})["judgments"]},
                          {"evaluation", to_json(eval)},
                          {"municipality",
                           {{"certification", m.certification},
                            {"research_consent", m.research_consent},
                            {"income_category", m.income_category},
                            {"recorded_by", m.recorded_by},
                            {"recorded_at", m.recorded_at}}}});
  }
  if (ctx.who().role == Role::MunicipalAdmin)
    return municipal_screen(ctx, *rec, done_text(ctx.query_value("done")));
  std::string notice = done_text(ctx.query_value("done"));
  if (const std::string dropped =
          not_carried_labels(svc->catalog(), *def, ctx.query_value("not_carried"));
      !dropped.empty())
    notice += "引き継げなかった項目: " + dropped;
  return form_screen(ctx, *def, rec->values, &rec->summary, notice, false);
}

}  // namespace

void add_form_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> staff{Role::NanbyoDoctor, Role::CooperatingDoctor, Role::PediatricDoctor,
                             Role::Clerk};
  std::set<Role> viewers = staff;
  viewers.insert(Role::MunicipalAdmin);
  for (const char* prefix : {"", "/api"}) {
    const std::string p(prefix);
    router.add({V::get, p + "/forms", Access::Roles, staff, list_page});
    router.add({V::post, p + "/forms", Access::Roles, staff, save});
    router.add({V::get, p + "/forms/new", Access::Roles, staff, new_page});
    router.add({V::get, p + "/forms/{id}", Access::Roles, viewers, show});
    router.add({V::post, p + "/forms/{id}", Access::Roles, staff, save});
  }
}

}  // namespace nanbyo::web
