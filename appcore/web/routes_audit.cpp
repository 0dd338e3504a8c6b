// The auditor's console (issue 17, S-7, O-2): search both processes' audit
// logs, open a record, export what was found as CSV. Security auditors only;
// each search, view and export is itself audited.
#include <nlohmann/json.hpp>

#include "appcore/core/csv_writer.h"
#include "appcore/web/audit_access.h"
#include "appcore/web/audit_search_form.h"
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::Role;
using console::IndexedRecord;

constexpr std::size_t kPageSize = 50;
constexpr std::uint64_t kCountCap = 10000;
constexpr std::size_t kExportMax = 100000;

std::string outcome_code(audit::Outcome o) {
  return std::string(audit::to_string(o));
}

std::string event_text(const std::string& event) {
  auto label = console::event_label(event);
  return label.empty() ? event : std::string(label) + "（" + event + "）";
}

std::string alert_text(const console::RecordFacets& f) {
  if (!f.alert) return {};
  return console::family_label(f.family) + (f.severity.empty() ? "" : " / " + f.severity);
}

Html results_table(const std::vector<IndexedRecord>& records) {
  Html h;
  h << raw(
      "<table id=\"audit-results\"><thead><tr><th scope=\"col\">日時（日本時間）</th>"
      "<th scope=\"col\">ログ</th><th scope=\"col\">事象</th><th scope=\"col\">結果</th>"
      "<th scope=\"col\">利用者</th><th scope=\"col\">医療機関</th>"
      "<th scope=\"col\">端末</th><th scope=\"col\">警告</th><th scope=\"col\">詳細</th>"
      "</tr></thead><tbody>");
  for (const auto& r : records) {
    h << raw("<tr class=\"") << raw(r.facets.alert ? "alert-row " : "")
      << raw(r.outcome == audit::Outcome::Deny ? "deny" : "") << raw("\"><td>") << jst_time(r.time)
      << raw("</td><td>") << r.log << raw("</td><td>") << event_text(r.event) << raw("</td><td>")
      << console::outcome_label(r.outcome) << raw("</td><td class=\"mono\">") << r.facets.user
      << raw("</td><td class=\"mono\">") << r.facets.hospital << raw("</td><td class=\"mono\">")
      << r.facets.terminal
      << (r.facets.terminal_name.empty() || r.facets.terminal.empty() ? "" : " ")
      << r.facets.terminal_name << raw("</td><td>") << alert_text(r.facets)
      << raw("</td><td><a href=\"/audit/records/") << r.id << raw("\">#")
      << static_cast<int64_t>(r.seq) << raw("</a></td></tr>");
  }
  if (records.empty()) h << raw("<tr><td colspan=\"9\">該当する記録はありません。</td></tr>");
  h << raw("</tbody></table>");
  return h;
}

Response search_page(RequestContext& ctx) {
  std::optional<Response> failed;
  auto* index = audit_index_of(ctx, failed);
  if (!index) return std::move(*failed);
  const AuditSearchForm form = read_audit_search(ctx);
  std::vector<std::string> logs;
  for (const auto& log : index->logs()) logs.push_back(log.name);
  auto families = index->families();
  if (!families)
    return error_response(ctx, http::status::internal_server_error, "audit-index",
                          families.error().message);
  Html b;
  b << audit_search_form_html(form, logs, *families);
  for (const auto& e : form.errors) b << alert(e);
  console::AuditQuery query = form.query;
  query.limit = kPageSize;
  auto found = index->search(query);
  auto total = index->count(query, kCountCap);
  if (!found || !total) {
    return error_response(ctx, http::status::internal_server_error, "audit-index",
                          (!found ? found.error() : total.error()).message);
  }
  const std::string conditions = audit_search_query_string(form);
  if (auto noted = record_console_action(
          ctx, "audit-search", audit::Outcome::Allow,
          {{"conditions", conditions}, {"results", std::to_string(found->records.size())}});
      !noted) {
    return error_response(ctx, http::status::service_unavailable, "audit-unavailable",
                          "監査記録を書き込めないため、検索できません。");
  }
  if (ctx.api) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : found->records) {
      list.push_back({{"id", r.id},
                      {"log", r.log},
                      {"seq", r.seq},
                      {"time", r.time},
                      {"event", r.event},
                      {"outcome", outcome_code(r.outcome)},
                      {"user", r.facets.user},
                      {"hospital", r.facets.hospital},
                      {"terminal", r.facets.terminal},
                      {"family", r.facets.family},
                      {"severity", r.facets.severity}});
    }
    return json_response(http::status::ok,
                         {{"records", list}, {"more", found->more}, {"count", *total}});
  }
  b << raw("<h2>検索結果</h2><p class=\"result-count\" id=\"audit-count\">該当 ")
    << (*total >= kCountCap ? std::to_string(kCountCap) + " 件以上"
                            : std::to_string(*total) + " 件")
    << raw("</p><div class=\"actions\"><a class=\"button secondary\" id=\"audit-export\" "
           "href=\"/audit/export.csv")
    << (conditions.empty() ? "" : "?" + conditions) << raw("\">CSVで出力</a></div>")
    << results_table(found->records) << raw("<nav class=\"paging\" aria-label=\"ページ\">");
  if (query.before) {
    b << raw("<a class=\"button secondary\" href=\"/audit")
      << (conditions.empty() ? "" : "?" + conditions) << raw("\">最新の記録へ</a>");
  }
  if (found->more) {
    const auto& last = found->records.back();
    b << raw("<a class=\"button secondary\" rel=\"next\" href=\"/audit?")
      << (conditions.empty() ? "" : conditions + "&") + "before=" + std::to_string(last.time) +
             "." + std::to_string(last.id)
      << raw("\">次の") << static_cast<int64_t>(kPageSize) << raw("件（より古い記録）</a>");
  }
  b << raw("</nav>");
  return page(ctx, "監査ログの検索", b);
}

Response record_page(RequestContext& ctx) {
  std::optional<Response> failed;
  auto* index = audit_index_of(ctx, failed);
  if (!index) return std::move(*failed);
  const std::string& id_text = ctx.param("id");
  if (id_text.empty() || id_text.size() > 18 ||
      id_text.find_first_not_of("0123456789") != std::string::npos) {
    return error_response(ctx, http::status::not_found, "not-found", "記録が見つかりません。");
  }
  const std::int64_t id = std::stoll(id_text);
  auto found = index->record(id);
  if (!found)
    return error_response(ctx, http::status::internal_server_error, "audit-index",
                          found.error().message);
  if (!*found)
    return error_response(ctx, http::status::not_found, "not-found", "記録が見つかりません。");
  const IndexedRecord& r = **found;
  auto on_file = index->read_from_file(id);
  if (!on_file)
    return error_response(ctx, http::status::internal_server_error, "audit-index",
                          on_file.error().message);
  if (auto noted = record_console_action(ctx, "audit-record-view", audit::Outcome::Allow,
                                         {{"log", r.log}, {"seq", std::to_string(r.seq)}});
      !noted) {
    return error_response(ctx, http::status::service_unavailable, "audit-unavailable",
                          "監査記録を書き込めないため、表示できません。");
  }
  Html b;
  switch (on_file->state) {
    case console::RecordOnFile::State::Same:
      b << raw(
          "<p class=\"notice ok\" role=\"status\" id=\"file-check\">"
          "ログファイル上の記録と一致しています（ハッシュ照合済み）。</p>");
      break;
    case console::RecordOnFile::State::Changed:
      b << raw(
          "<p class=\"notice error\" role=\"alert\" id=\"file-check\">"
          "ログファイル上の記録が索引作成後に書き換えられています。改ざんの疑いがあります。"
          "</p>");
      break;
    case console::RecordOnFile::State::Gone:
      b << raw(
          "<p class=\"notice\" role=\"status\" id=\"file-check\">"
          "この記録を含むログファイルはありません（保存期間を過ぎて削除されました）。</p>");
      break;
  }
  b << raw("<table class=\"record\" id=\"audit-record\"><tbody>");
  auto row = [&b](std::string_view label, const std::string& value, bool mono = false) {
    b << raw("<tr><th scope=\"row\">") << label << raw("</th><td")
      << raw(mono ? " class=\"mono\"" : "") << raw(">") << value << raw("</td></tr>");
  };
  row("ログ", r.log);
  row("連番", std::to_string(r.seq));
  row("日時（日本時間）", jst_time(r.time));
  row("事象", event_text(r.event));
  row("結果", std::string(console::outcome_label(r.outcome)));
  row("操作者", r.actor, true);
  row("対象", r.subject, true);
  row("接続元", r.source, true);
  row("利用者", r.facets.user, true);
  row("医療機関番号", r.facets.hospital, true);
  row("端末（証明書シリアル）", r.facets.terminal, true);
  row("端末名", r.facets.terminal_name, true);
  if (r.facets.alert) row("警告", alert_text(r.facets));
  row("ハッシュ", r.hash, true);
  b << raw("</tbody></table><h2>詳細</h2><table class=\"record\" id=\"audit-detail\"><tbody>");
  auto detail = nlohmann::json::parse(r.detail_json, nullptr, false);
  if (detail.is_object()) {
    for (const auto& [key, value] : detail.items())
      row(key, value.is_string() ? value.get<std::string>() : value.dump(), true);
  }
  b << raw("</tbody></table>");
  if (!on_file->line.empty()) {
    b << raw("<h2>ログファイル上の記録</h2><pre class=\"audit-line\">") << on_file->line
      << raw("</pre>");
  }
  b << raw("<p><a href=\"/audit\">検索に戻る</a></p>");
  return page(ctx, "監査記録の詳細", b);
}

Response export_csv(RequestContext& ctx) {
  std::optional<Response> failed;
  auto* index = audit_index_of(ctx, failed);
  if (!index) return std::move(*failed);
  const AuditSearchForm form = read_audit_search(ctx);
  if (!form.errors.empty())
    return error_response(ctx, http::status::bad_request, "bad-conditions", form.errors.front());
  appcore::CsvWriter csv;
  csv.row({"ログ", "連番", "日時（日本時間）", "事象", "結果", "操作者", "対象", "接続元", "利用者",
           "医療機関番号", "端末（証明書シリアル）", "端末名", "警告の種別", "重大度", "詳細",
           "ハッシュ"});
  console::AuditQuery query = form.query;
  query.before.reset();
  query.limit = 5000;
  std::size_t rows = 0;
  bool cut = false;
  for (;;) {
    auto found = index->search(query);
    if (!found)
      return error_response(ctx, http::status::internal_server_error, "audit-index",
                            found.error().message);
    for (const auto& r : found->records) {
      const std::string seq = std::to_string(r.seq), time = jst_time(r.time),
                        outcome = outcome_code(r.outcome);
      csv.row({r.log, seq, time, r.event, outcome, r.actor, r.subject, r.source, r.facets.user,
               r.facets.hospital, r.facets.terminal, r.facets.terminal_name, r.facets.family,
               r.facets.severity, r.detail_json, r.hash});
      if (++rows == kExportMax) break;
    }
    if (rows == kExportMax) {
      cut = true;  // at most kExportMax rows: the auditor narrows the conditions
      break;
    }
    if (!found->more) break;
    query.before = std::pair{found->records.back().time, found->records.back().id};
  }
  if (auto noted = record_console_action(ctx, "audit-export", audit::Outcome::Allow,
                                         {{"conditions", audit_search_query_string(form)},
                                          {"rows", std::to_string(rows)},
                                          {"cut-at-limit", cut ? "yes" : "no"}});
      !noted) {
    return error_response(ctx, http::status::service_unavailable, "audit-unavailable",
                          "監査記録を書き込めないため、出力できません。");
  }
  return download("text/csv; charset=utf-8", "audit-log.csv", csv.text());
}

}  // namespace

void add_audit_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> auditor{Role::SecurityAuditor};
  router.add({V::get, "/audit", Access::Roles, auditor, search_page});
  router.add({V::get, "/api/audit/records", Access::Roles, auditor, search_page});
  router.add({V::get, "/audit/records/{id}", Access::Roles, auditor, record_page});
  router.add({V::get, "/audit/export.csv", Access::Roles, auditor, export_csv});
}

}  // namespace nanbyo::web
