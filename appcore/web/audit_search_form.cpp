#include "appcore/web/audit_search_form.h"

#include <chrono>
#include <cstdio>

#include "appcore/audit_console/record_facets.h"
#include "appcore/web/form.h"

namespace nanbyo::web {
namespace {

constexpr std::int64_t kJstOffset = 9 * 3600;

bool digits(const std::string& s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return false;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

int number(const std::string& s, std::size_t at, std::size_t n) {
  return std::stoi(s.substr(at, n));
}

// Keeps a value only if it is plausible for its field (no control characters, bounded).
std::string bounded(std::string value) {
  if (value.size() > 128) value.resize(128);
  for (char& c : value) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return value;
}

}  // namespace

std::string jst_time(std::int64_t time) {
  using namespace std::chrono;
  const sys_seconds t{seconds(time + kJstOffset)};
  const sys_days day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss hms(t - day);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return text;
}

std::optional<std::int64_t> parse_jst_time(const std::string& text) {
  using namespace std::chrono;
  if (!digits(text, 0, 4) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2) ||
      text[7] != '-' || !digits(text, 8, 2))
    return std::nullopt;
  const year_month_day ymd{year(number(text, 0, 4)),
                           month(static_cast<unsigned>(number(text, 5, 2))),
                           day(static_cast<unsigned>(number(text, 8, 2)))};
  if (!ymd.ok()) return std::nullopt;
  int h = 0, m = 0, s = 0;
  if (text.size() > 10) {
    if ((text[10] != 'T' && text[10] != ' ') || !digits(text, 11, 2) || text.size() < 16 ||
        text[13] != ':' || !digits(text, 14, 2))
      return std::nullopt;
    h = number(text, 11, 2);
    m = number(text, 14, 2);
    if (text.size() > 16) {
      if (text.size() != 19 || text[16] != ':' || !digits(text, 17, 2)) return std::nullopt;
      s = number(text, 17, 2);
    }
    if (h > 23 || m > 59 || s > 59) return std::nullopt;
  }
  const auto t = sys_days(ymd) + hours(h) + minutes(m) + seconds(s);
  return duration_cast<seconds>(t.time_since_epoch()).count() - kJstOffset;
}

AuditSearchForm read_audit_search(const RequestContext& ctx) {
  AuditSearchForm f;
  auto& q = f.query;
  f.since_text = bounded(ctx.query_value("since"));
  f.until_text = bounded(ctx.query_value("until"));
  if (!f.since_text.empty()) {
    q.since = parse_jst_time(f.since_text);
    if (!q.since) f.errors.push_back("開始日時は 2026-12-03T09:00 の形で入力してください。");
  }
  if (!f.until_text.empty()) {
    q.until = parse_jst_time(f.until_text);
    // A date alone means up to the end of that day.
    if (q.until && f.until_text.size() == 10) *q.until += 24 * 3600;
    if (!q.until) f.errors.push_back("終了日時は 2026-12-03T18:00 の形で入力してください。");
  }
  q.log = bounded(ctx.query_value("log"));
  if (!q.log.empty() && q.log != "gateway" && q.log != "appcore") {
    f.errors.push_back("ログは gateway か appcore を選んでください。");
    q.log.clear();
  }
  q.user = bounded(ctx.query_value("user"));
  q.hospital = bounded(ctx.query_value("hospital"));
  q.terminal = bounded(ctx.query_value("terminal"));
  q.event = bounded(ctx.query_value("event"));
  q.family = bounded(ctx.query_value("family"));
  q.alerts_only = ctx.query_value("alerts") == "1";
  f.outcome_text = bounded(ctx.query_value("outcome"));
  if (f.outcome_text == "allow") q.outcome = audit::Outcome::Allow;
  if (f.outcome_text == "deny") q.outcome = audit::Outcome::Deny;
  if (f.outcome_text == "info") q.outcome = audit::Outcome::Info;
  if (!f.outcome_text.empty() && !q.outcome) {
    f.errors.push_back("結果は 許可・拒否・記録 から選んでください。");
    f.outcome_text.clear();
  }
  // The paging cursor: "time.id" of the last record of the page before.
  const std::string before = ctx.query_value("before");
  const auto dot = before.find('.');
  if (dot != std::string::npos && dot > 0 && dot < 20 && before.size() - dot - 1 < 20 &&
      before.find_first_not_of("0123456789.") == std::string::npos &&
      before.find('.', dot + 1) == std::string::npos) {
    q.before = std::pair{std::stoll(before.substr(0, dot)), std::stoll(before.substr(dot + 1))};
  }
  return f;
}

std::string audit_search_query_string(const AuditSearchForm& form) {
  std::string out;
  auto add = [&out](const char* name, const std::string& value) {
    if (value.empty()) return;
    out += (out.empty() ? "" : "&") + std::string(name) + "=" + url_encode(value);
  };
  const auto& q = form.query;
  add("since", form.since_text);
  add("until", form.until_text);
  add("log", q.log);
  add("user", q.user);
  add("hospital", q.hospital);
  add("terminal", q.terminal);
  add("event", q.event);
  add("outcome", form.outcome_text);
  add("family", q.family);
  if (q.alerts_only) add("alerts", "1");
  return out;
}

Html audit_search_form_html(const AuditSearchForm& form, const std::vector<std::string>& logs,
                            const std::vector<std::string>& families) {
  const auto& q = form.query;
  Html h;
  h << raw("<form method=\"get\" action=\"/audit\" class=\"search\" id=\"audit-search\">"
           "<h2>検索条件</h2>")
    << Html().text_field("since", "開始日時（日本時間）", form.since_text, "datetime-local", false)
    << Html().text_field("until", "終了日時（日本時間）", form.until_text, "datetime-local", false);
  Html::Options log_options{{"", "（両方）"}};
  for (const auto& log : logs)
    log_options.emplace_back(log, log == "gateway" ? "ゲートウェイ" : "アプリケーション");
  h.select_field("f-log", "log", "ログ", log_options, q.log);
  h << Html().text_field("user", "利用者ID", q.user, "text", false)
    << Html().text_field("hospital", "医療機関番号", q.hospital, "text", false)
    << Html().text_field("terminal", "端末（証明書シリアルまたは端末名）", q.terminal, "text",
                         false)
    << Html().text_field("event", "事象（例: login, tls-reject）", q.event, "text", false);
  h.select_field("f-outcome", "outcome", "結果",
                 {{"", "（すべて）"}, {"allow", "許可"}, {"deny", "拒否"}, {"info", "記録"}},
                 form.outcome_text);
  Html::Options family_options{{"", "（すべて）"}};
  for (const auto& family : families)
    family_options.emplace_back(family, std::string(console::family_label(family)));
  h.select_field("f-family", "family", "警告の種別", family_options, q.family);
  h << raw("<div class=\"field checkbox\"><input type=\"checkbox\" id=\"f-alerts\" "
           "name=\"alerts\" value=\"1\"")
    << raw(q.alerts_only ? " checked" : "")
    << raw("><label for=\"f-alerts\">警告のみ</label></div>"
           "<div class=\"actions\"><button type=\"submit\">検索</button>"
           "<a class=\"button secondary\" href=\"/audit\">条件をクリア</a></div></form>");
  return h;
}

}  // namespace nanbyo::web
