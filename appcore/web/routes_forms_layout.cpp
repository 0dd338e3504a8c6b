// The XML layout published to hospital-system vendors (issue 18 item 5, F-9,
// F-13; docs/forms-xml.md): the XSD of every form, and of one disease's form,
// served without a login so an operator or a hospital can fetch the file and
// hand it to a vendor. They hold no personal data: only the definitions.
#include "appcore/forms/xml.h"
#include "appcore/web/forms_view.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

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
    return json_response(http::status::ok, {{"xsd", "/forms/layout.xsd"}, {"forms", list}});
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
  return page(ctx, "XMLレイアウト（院内システム向け）", b);
}

Response whole_xsd(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  return download("application/xml; charset=utf-8", "nanbyo-forms.xsd", svc->xsd());
}

Response one_xsd(RequestContext& ctx) {
  auto* svc = forms_of(ctx);
  if (!svc) return no_forms(ctx);
  const forms::FormDefinition* def = svc->catalog().find(ctx.param("id"));
  if (!def)
    return error_response(ctx, http::status::not_found, "unknown-definition",
                          "疾病の様式が見つかりません。");
  return download("application/xml; charset=utf-8", def->id + ".xsd", forms::generate_xsd(*def));
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
