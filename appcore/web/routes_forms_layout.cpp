// The XML layout published to hospital-system vendors (issue 18 item 5, F-9,
// F-13; docs/forms-xml.md): the XSD of every form, and of one disease's form,
// served without a login so an operator or a hospital can fetch the file and
// hand it to a vendor. They hold no personal data: only the definitions.
// A previous version still accepted (issue 18 item 4) is published beside the
// current one with the last day it is accepted: ?version=2024.1.
#include "appcore/forms/xml.h"
#include "appcore/web/forms_view.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

// The former versions still accepted: each form's XSD of that version and the
// last day its XML is accepted (the XML states version="…").
void previous_versions(Html& b, const forms::FormCatalog& catalog) {
  if (catalog.previous_versions().empty()) return;
  b << raw(
      "<h2>旧様式（移行期間中）</h2><p>様式が変更された疾病は、移行期間の終了日まで旧様式の"
      "XMLも受け付けます。XMLの様式要素に version 属性で版を記載してください"
      "（記載がない場合は現行の版として扱います）。</p>"
      "<table id=\"previous-versions\"><thead><tr><th scope=\"col\">版</th><th "
      "scope=\"col\">受付終了日</th><th scope=\"col\">様式ID</th><th "
      "scope=\"col\">病名</th><th scope=\"col\">XSD</th></tr></thead><tbody>");
  for (const auto& p : catalog.previous_versions())
    for (const auto& d : p.forms->definitions()) {
      const std::string href = "/forms/layout/" + d.id + "?version=" + p.version;
      b << raw("<tr><td class=\"mono\">") << p.version << raw("</td><td>") << p.accepted_until
        << raw("</td><td class=\"mono\">") << d.id << raw("</td><td>") << d.title
        << raw("</td><td><a href=\"") << href << raw("\" download>")
        << d.id + "-" + p.version + ".xsd" << raw("</a></td></tr>");
    }
  b << raw("</tbody></table>");
}

Response layout_page(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  const std::string q = ctx.query_value("q");
  const auto found = svc->catalog().search(q, 100);
  if (ctx.api) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto* d : found)
      list.push_back(
          {{"id", d->form_id}, {"name", d->name}, {"xsd", "/forms/layout/" + d->form_id}});
    nlohmann::json previous = nlohmann::json::array();
    for (const auto& p : svc->catalog().previous_versions()) {
      nlohmann::json forms = nlohmann::json::array();
      for (const auto& d : p.forms->definitions())
        forms.push_back({{"id", d.id},
                         {"name", d.title},
                         {"xsd", "/forms/layout/" + d.id + "?version=" + p.version}});
      previous.push_back({{"version", p.version},
                          {"accepted_until", p.accepted_until},
                          {"xsd", "/forms/layout.xsd?version=" + p.version},
                          {"forms", forms}});
    }
    return json_response(
        http::status::ok,
        {{"xsd", "/forms/layout.xsd"}, {"forms", list}, {"previous_versions", previous}});
  }
  Html b;
  b << raw("<p>院内システム（電子カルテ・文書管理システム）から出力するXMLのレイアウトです。"
           "様式の定義から生成したXMLスキーマ（XSD）を、ログインなしで取得できます。"
           "各項目は別紙No.3の6区分（基本情報、診断基準情報、重症度分類情報、研究調査情報、"
           "人工呼吸器使用情報、医療機関情報）ごとに注記しています。</p>"
           "<p><a class=\"button\" href=\"/forms/layout.xsd\" "
           "download>全疾病のXSDをダウンロード</a></p>"
           "<form method=\"get\" action=\"/forms/layout\" class=\"search\">")
    << Html().text_field("q", "告示番号または病名", q, "search", false)
    << raw("<div class=\"actions\"><button type=\"submit\">検索</button></div></form>");
  if (!q.empty()) {
    b << raw(
        "<table id=\"layout-list\"><thead><tr><th scope=\"col\">様式ID</th><th "
        "scope=\"col\">病名</th><th scope=\"col\">XSD</th></tr></thead><tbody>");
    for (const auto* d : found)
      b << raw("<tr><td class=\"mono\">") << d->form_id << raw("</td><td>") << d->name
        << raw("</td><td><a href=\"/forms/layout/") << d->form_id << raw("\" download>")
        << d->form_id + ".xsd" << raw("</a></td></tr>");
    if (found.empty()) b << raw("<tr><td colspan=\"3\">該当する疾病はありません。</td></tr>");
    b << raw("</tbody></table>");
  }
  previous_versions(b, svc->catalog());
  return page(ctx, "XMLレイアウト（院内システム向け）", b);
}

Response unknown_version(RequestContext& ctx) {
  return error_response(ctx, http::status::not_found, "unknown-version",
                        "その版の様式はありません。");
}

Response whole_xsd(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  const std::string version = ctx.query_value("version");
  if (version.empty())
    return download("application/xml; charset=utf-8", "nanbyo-forms.xsd", svc->xsd());
  for (const auto& p : svc->catalog().previous_versions())
    if (p.version == version)
      return download("application/xml; charset=utf-8", "nanbyo-forms-" + version + ".xsd",
                      forms::generate_xsd(*p.forms));
  return unknown_version(ctx);
}

Response one_xsd(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  const std::string version = ctx.query_value("version");
  const forms::FormDefinition* def = svc->catalog().find(ctx.param("id"), version);
  if (!def && !version.empty() && svc->catalog().find(ctx.param("id"))) return unknown_version(ctx);
  if (!def)
    return error_response(ctx, http::status::not_found, "unknown-definition",
                          "疾病の様式が見つかりません。");
  const std::string name = version.empty() ? def->id : def->id + "-" + def->version;
  return download("application/xml; charset=utf-8", name + ".xsd", forms::generate_xsd(*def));
}

}  // namespace

void add_form_layout_routes(Router& router) {
  using V = http::verb;
  router.add({V::get, "/forms/layout", Access::Public, {}, layout_page});
  router.add({V::get, "/api/forms/layout", Access::Public, {}, layout_page});
  router.add({V::get, "/forms/layout.xsd", Access::Public, {}, whole_xsd});
  router.add({V::get, "/forms/layout/{id}", Access::Public, {}, one_xsd});
}

}  // namespace nanbyo::web
