#include "appcore/web/forms_list.h"

#include <algorithm>

#include "appcore/web/form.h"
#include "appcore/web/forms_view.h"
#include "appcore/web/list_paging.h"

namespace nanbyo::web {
namespace {

constexpr const char* kConditionKeys[] = {
    "disease",      "definition", "status", "application_type", "source",         "insured_number",
    "patient_kana", "birth_date", "sex",    "access_key",       "assigned_doctor"};

std::string label_of(std::string_view value,
                     std::initializer_list<std::pair<std::string_view, std::string_view>> labels) {
  for (const auto& [v, l] : labels) {
    if (v == value) return std::string(l);
  }
  return std::string(value);
}

std::string date_of(const std::string& timestamp) {
  std::string d = timestamp.substr(0, 10);
  std::replace(d.begin(), d.end(), '-', '/');
  return d;
}

Html row_operations(const RequestContext& ctx, const appcore::FormSummary& s) {
  Html h;
  h << raw("<a class=\"button small secondary\" href=\"/forms/") << s.form_id << raw("\">閲覧</a>");
  if (s.status == "registered") {
    h << raw("<form method=\"post\" class=\"inline\" action=\"/forms/") << s.form_id
      << raw("/carry-over\">") << Html().csrf_field(ctx.csrf_token)
      << raw("<button type=\"submit\" class=\"small secondary\">更新登録</button></form>"
             "<form method=\"post\" class=\"inline\" data-confirm=\"この個人票の登録を解除します。"
             "よろしいですか。\" action=\"/forms/")
      << s.form_id << raw("/cancel\">") << Html().csrf_field(ctx.csrf_token)
      << raw("<button type=\"submit\" class=\"small secondary\">解除</button></form>");
  }
  h << raw("<a class=\"button small secondary\" href=\"/forms/") << s.form_id
    << raw("/export.xml\">データ出力</a>");
  return h;
}

}  // namespace

appcore::FormSearch read_form_list_query(const RequestContext& ctx) {
  appcore::FormSearch q;
  q.definition = ctx.query_value("definition");
  q.status = ctx.query_value("status");
  q.application_type = ctx.query_value("application_type");
  q.source = ctx.query_value("source");
  q.insured_number = ctx.query_value("insured_number");
  q.patient_kana = ctx.query_value("patient_kana");
  q.birth_date = ctx.query_value("birth_date");
  q.sex = ctx.query_value("sex");
  q.access_key = ctx.query_value("access_key");
  q.assigned_doctor = ctx.query_value("assigned_doctor");
  q.sort = ctx.query_value("sort");
  if (q.sort.empty()) q.sort = "updated";
  q.ascending = ctx.query_value("order") == "asc";
  const PageRequest paging = read_page_request(ctx);
  q.page = paging.page;
  q.per_page = paging.per_page;
  return q;
}

std::string form_list_conditions(const RequestContext& ctx) {
  std::string out;
  for (const char* key : kConditionKeys) {
    const std::string value = ctx.query_value(key);
    if (!value.empty())
      out += (out.empty() ? "" : "&") + std::string(key) + "=" + url_encode(value);
  }
  return out;
}

Html form_list_html(const RequestContext& ctx, const appcore::FormPage& page,
                    const appcore::FormSearch& q) {
  const std::string conditions = form_list_conditions(ctx);
  const std::string order = "sort=" + q.sort + "&order=" + (q.ascending ? "asc" : "desc");
  const std::string sort_base = "/forms?" + conditions + (conditions.empty() ? "" : "&");
  const std::string base = sort_base + order;
  Html h;
  std::vector<std::pair<std::string, std::string>> kept;
  for (const char* key : kConditionKeys) {
    const std::string value = ctx.query_value(key);
    if (!value.empty()) kept.emplace_back(key, value);
  }
  kept.emplace_back("sort", q.sort);
  kept.emplace_back("order", q.ascending ? "asc" : "desc");
  h << raw("<div class=\"list-head\"><p id=\"form-count\">検索結果件数 ")
    << static_cast<int64_t>(page.total) << raw("件</p>")
    << per_page_form("/forms", kept, page.per_page)
    << raw("</div>"
           "<table id=\"form-list\"><thead><tr><th scope=\"col\">申請種別</th>"
           "<th scope=\"col\">保険者番号/<br>被保険者番号</th><th scope=\"col\">アクセスキー</th>"
           "<th scope=\"col\">氏名カナ</th><th scope=\"col\">生年月日</th><th scope=\"col\">性別"
           "</th>")
    << sort_header("告示番号/病名", "disease", q.sort, q.ascending, sort_base, q.per_page)
    << raw("<th scope=\"col\">指定医氏名</th>")
    << sort_header("作成年月日/自治体連携日", "created", q.sort, q.ascending, sort_base, q.per_page)
    << sort_header("ステータス/登録種別", "status", q.sort, q.ascending, sort_base, q.per_page)
    << raw("<th scope=\"col\">操作</th></tr></thead><tbody>");
  for (const auto& s : page.rows) {
    h << raw("<tr><td>") << label_of(s.application_type, {{"new", "新規"}, {"renewal", "更新"}})
      << raw("</td><td class=\"mono\">") << s.insurer_number << raw("/<br>") << s.insured_number
      << raw("</td><td class=\"mono\">") << s.access_key << raw("</td><td>") << s.patient_kana
      << raw("</td><td>") << s.birth_date << raw("</td><td>")
      << label_of(s.sex, {{"male", "男性"}, {"female", "女性"}}) << raw("</td><td>")
      << (s.notice.empty() ? "" : s.notice + "/ ") << s.title << raw("<br><small>") << s.form_type
      << raw("</small></td><td>") << s.doctor_name << raw("</td><td>") << date_of(s.created_at)
      << raw("<br>") << date_of(s.registered_at) << raw("</td><td>") << status_label(s.status)
      << raw("<br><small>")
      << label_of(s.source, {{"web", "画面"}, {"xml-upload", "XML"}, {"paper-scan", "紙"}})
      << raw("</small></td><td class=\"operations\">") << row_operations(ctx, s)
      << raw("</td></tr>");
  }
  if (page.rows.empty()) h << raw("<tr><td colspan=\"11\">該当する個人票はありません。</td></tr>");
  h << raw("</tbody></table>");
  h << page_links(base, page.page, page.per_page, page.total, "form-pages");
  return h;
}

}  // namespace nanbyo::web
