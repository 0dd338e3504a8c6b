// Choosing the disease of a new form (issue 18, F-1): every disease of the
// master, searched by 告示番号 or name; a disease without a specific
// definition opens the common 臨床調査個人票 / 医療意見書.
#include "appcore/web/forms_view.h"

namespace nanbyo::web {

std::string disease_heading(const forms::DiseaseForm& d) {
  if (d.kind == "shoman")
    return "小児慢性特定疾病 " + (d.group_name.empty() ? d.group : d.group_name) + " 番号" +
           std::to_string(d.number);
  return "指定難病 告示番号" + std::to_string(d.number);
}

Html disease_picker(const forms::FormCatalog& catalog, const std::string& query) {
  Html b;
  b << raw("<form method=\"get\" action=\"/forms/new\" class=\"search\" role=\"search\">"
           "<p>作成する個人票の疾病を、告示番号（数字。小児慢性特定疾病は「疾患群-番号」も可、"
           "例: 5-91）または病名の一部で検索してください。"
           "個別の様式がない疾病は共通様式（診断のカテゴリー・重症度は指定医の記載、"
           "所見は項目ごとの記述）で作成します。</p>")
    << Html().text_field("q", "告示番号または病名", query, "search", true)
    << raw("<div class=\"actions\"><button type=\"submit\">検索</button></div></form>");
  std::vector<const forms::DiseaseForm*> shown;
  if (query.empty()) {
    b << raw("<h2>個別様式のある疾病</h2>");
    for (const auto& d : catalog.diseases())
      if (d.specific) shown.push_back(&d);
  } else {
    shown = catalog.search(query, 200);
    b << raw("<h2>検索結果</h2><p role=\"status\">") << static_cast<int64_t>(shown.size())
      << raw("件") << raw(shown.size() == 200 ? "（先頭200件）" : "") << raw("</p>");
  }
  b << raw(
      "<table id=\"disease-list\"><thead><tr><th scope=\"col\">区分・番号</th>"
      "<th scope=\"col\">病名</th><th scope=\"col\">様式</th><th scope=\"col\">操作</th>"
      "</tr></thead><tbody>");
  for (const auto* d : shown) {
    b << raw("<tr><td>") << disease_heading(*d) << raw("</td><td>") << d->name;
    if (!d->aliases.empty()) b << raw("<br><small>") << d->aliases << raw("</small>");
    b << raw("</td><td>")
      << (d->specific ? "個別様式" : "共通様式") + std::string("（") +
             (d->kind == "shoman" ? "医療意見書" : "臨床調査個人票") + "）"
      << raw("</td><td><a class=\"button small\" href=\"/forms/new?definition=") << d->form_id
      << raw("\" aria-label=\"") << d->name + "の個人票を作成" << raw("\">作成</a></td></tr>");
  }
  if (shown.empty()) b << raw("<tr><td colspan=\"4\">該当する疾病はありません。</td></tr>");
  b << raw("</tbody></table>");
  return b;
}

}  // namespace nanbyo::web
