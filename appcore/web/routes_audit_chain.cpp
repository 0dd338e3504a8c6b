// The auditor's console (issue 17, S-7, O-2): the state of each log's chain
// with its last hash, a full verification of the files on request, and daily
// charts of connections, logins and alerts.
#include <chrono>

#include "appcore/web/audit_access.h"
#include "appcore/web/audit_charts.h"
#include "appcore/web/audit_search_form.h"
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"
#include "pki/audit/audit_verify.h"

namespace nanbyo::web {
namespace {

using appcore::Role;

Html status_table(const std::vector<console::LogStatus>& logs) {
  Html h;
  h << raw(
      "<table id=\"audit-chain\"><thead><tr><th scope=\"col\">ログ</th>"
      "<th scope=\"col\">ファイル</th><th scope=\"col\">記録数</th>"
      "<th scope=\"col\">最終連番</th><th scope=\"col\">最終記録（日本時間）</th>"
      "<th scope=\"col\">最終ハッシュ</th><th scope=\"col\">連鎖の状態</th>"
      "</tr></thead><tbody>");
  for (const auto& s : logs) {
    h << raw("<tr><td>") << s.name << raw("</td><td class=\"mono\">") << s.live.string()
      << raw("</td><td>") << static_cast<int64_t>(s.records) << raw("</td><td>")
      << static_cast<int64_t>(s.last_seq) << raw("</td><td>")
      << (s.last_time ? jst_time(*s.last_time) : std::string("—"))
      << raw("</td><td class=\"mono hash\">") << s.last_hash << raw("</td><td>");
    if (s.problem.empty()) {
      h << raw("<span class=\"chain-ok\">正常（索引作成時に全記録を照合）</span>");
    } else {
      h << raw("<span class=\"chain-broken\" role=\"alert\">異常: ") << s.problem << raw("</span>");
    }
    h << raw("</td></tr>");
  }
  h << raw("</tbody></table>");
  return h;
}

Response chain_page(RequestContext& ctx) {
  std::optional<Response> failed;
  auto* index = audit_index_of(ctx, failed);
  if (!index) return std::move(*failed);
  auto status = index->status();
  if (!status)
    return error_response(ctx, http::status::internal_server_error, "audit-index",
                          status.error().message);
  Html b;
  b << raw("<p>索引は各ログの新しい記録を読むたびに、記録のハッシュと直前の記録との連鎖を"
           "照合します。ファイル全体をもう一度照合するには「全件を検証」を押してください。"
           "ジャーナルのアンカーとの照合は <code>nanbyoctl audit verify</code> で行います。</p>")
    << status_table(*status) << raw("<form method=\"post\" action=\"/audit/verify\">")
    << Html().csrf_field(ctx.csrf_token)
    << raw("<button type=\"submit\">全件を検証</button></form>");
  return page(ctx, "監査ログの改ざん検証", b);
}

Response verify(RequestContext& ctx) {
  std::optional<Response> failed;
  auto* index = audit_index_of(ctx, failed);
  if (!index) return std::move(*failed);
  Html b;
  b << raw(
      "<table id=\"audit-verify\"><thead><tr><th scope=\"col\">ログ</th>"
      "<th scope=\"col\">結果</th><th scope=\"col\">記録数</th><th scope=\"col\">ファイル数"
      "</th><th scope=\"col\">最終ハッシュ</th></tr></thead><tbody>");
  bool all_ok = true;
  std::map<std::string, std::string> detail;
  for (const auto& log : index->logs()) {
    auto summary = audit::verify_audit_set(log.live);
    b << raw("<tr><td>") << log.name << raw("</td>");
    if (summary) {
      b << raw("<td class=\"chain-ok\">改ざんは見つかりませんでした</td><td>")
        << static_cast<int64_t>(summary->records) << raw("</td><td>")
        << static_cast<int64_t>(summary->files.size()) << raw("</td><td class=\"mono hash\">")
        << summary->last_hash << raw("</td>");
      detail[log.name] = "ok " + std::to_string(summary->records) + " records";
    } else {
      all_ok = false;
      b << raw("<td class=\"chain-broken\" role=\"alert\" colspan=\"4\">異常: ")
        << summary.error().message << raw("</td>");
      detail[log.name] = summary.error().message;
    }
    b << raw("</tr>");
  }
  b << raw("</tbody></table><p><a href=\"/audit/chain\">改ざん検証に戻る</a></p>");
  if (auto noted = record_console_action(
          ctx, "audit-verify", all_ok ? audit::Outcome::Allow : audit::Outcome::Deny, detail);
      !noted) {
    return error_response(ctx, http::status::service_unavailable, "audit-unavailable",
                          "監査記録を書き込めないため、検証結果を表示できません。");
  }
  return page(ctx, "監査ログの全件検証", b);
}

// The days from `count` days ago to today (JST), oldest first.
std::vector<std::string> last_days(std::int64_t now, int count) {
  std::vector<std::string> days;
  for (int i = count - 1; i >= 0; --i) days.push_back(console::jst_day(now - i * 86400LL));
  return days;
}

Response charts_page(RequestContext& ctx) {
  std::optional<Response> failed;
  auto* index = audit_index_of(ctx, failed);
  if (!index) return std::move(*failed);
  int span = 14;
  const std::string asked = ctx.query_value("days");
  if (asked == "7" || asked == "30" || asked == "90") span = std::stoi(asked);
  const auto days = last_days(ctx.services.clock.now().time_since_epoch().count(), span);
  auto counts = index->daily(days.front());
  if (!counts)
    return error_response(ctx, http::status::internal_server_error, "audit-index",
                          counts.error().message);
  std::map<std::string, std::size_t> day_at;
  for (std::size_t i = 0; i < days.size(); ++i) day_at[days[i]] = i;
  std::map<std::string, std::vector<std::uint64_t>> by_metric;
  for (const auto& c : *counts) {
    auto at = day_at.find(c.day);
    if (at == day_at.end()) continue;
    auto& values = by_metric[c.metric];
    values.resize(days.size());
    values[at->second] += c.count;
  }
  auto series = [&](const std::string& metric, std::string label) {
    auto values = by_metric[metric];
    values.resize(days.size());
    return ChartSeries{std::move(label), std::move(values)};
  };
  std::vector<ChartSeries> alerts;
  for (const auto& [metric, values] : by_metric) {
    if (metric.rfind("alert:", 0) == 0)
      alerts.push_back(series(metric, console::family_label(metric.substr(6))));
  }
  Html b;
  b << raw("<nav class=\"actions\" aria-label=\"期間\">");
  for (int d : {7, 14, 30, 90}) {
    b << raw("<a class=\"button secondary") << raw(d == span ? " current" : "")
      << raw("\" href=\"/audit/charts?days=") << d << raw("\">") << d << raw("日間</a>");
  }
  b << raw("</nav>")
    << daily_bar_chart("chart-connections", "接続（許可・拒否）", days,
                       {series("connection-allowed", "許可された接続"),
                        series("connection-refused", "拒否された接続")})
    << daily_bar_chart("chart-logins", "ログイン（成功・失敗）", days,
                       {series("login", "ログイン成功"), series("login-failure", "ログイン失敗")});
  if (alerts.empty()) {
    b << raw("<p id=\"chart-alerts\">この期間の警告はありません。</p>");
  } else {
    b << daily_bar_chart("chart-alerts", "警告（種別ごと）", days, alerts);
  }
  return page(ctx, "監査ログの日別グラフ", b);
}

}  // namespace

void add_audit_chain_routes(Router& router) {
  using V = http::verb;
  const std::set<Role> auditor{Role::SecurityAuditor};
  router.add({V::get, "/audit/chain", Access::Roles, auditor, chain_page});
  router.add({V::post, "/audit/verify", Access::Roles, auditor, verify});
  router.add({V::get, "/audit/charts", Access::Roles, auditor, charts_page});
}

}  // namespace nanbyo::web
