#include "appcore/audit_console/record_facets.h"

#include <array>
#include <utility>

namespace nanbyo::console {
namespace {

std::string detail_of(const audit::AuditRecord& r, const std::string& key) {
  auto it = r.detail.find(key);
  return it == r.detail.end() ? std::string() : it->second;
}

bool is_hex_serial(std::string_view s) {
  if (s.size() < 2 || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

bool is_hospital_number(std::string_view s) {
  if (s.size() != 10) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The first item of a comma-separated list ("sqli,xss" -> "sqli").
std::string first_item(const std::string& list) {
  return list.substr(0, list.find(','));
}

// The most severe of a list such as "WARNING,CRITICAL" (CRS severities, most severe first).
std::string most_severe(const std::string& list) {
  static constexpr std::array<std::string_view, 8> kOrder{
      "EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"};
  for (auto name : kOrder) {
    if (("," + list + ",").find("," + std::string(name) + ",") != std::string::npos)
      return std::string(name);
  }
  return first_item(list);
}

// The application core's records name a user (or "anonymous") as the actor and
// say where it came from as "hospital/terminal".
void application_facets(const audit::AuditRecord& r, RecordFacets& f) {
  if (r.actor != "anonymous" && r.actor != "-") f.user = r.actor;
  const auto slash = r.source.find('/');
  if (slash != std::string::npos &&
      is_hospital_number(std::string_view(r.source).substr(0, slash))) {
    f.hospital = r.source.substr(0, slash);
    f.terminal_name = r.source.substr(slash + 1);
  } else {
    f.terminal_name = r.source;
  }
  f.terminal = detail_of(r, "cert-serial");
}

void gateway_facets(const audit::AuditRecord& r, RecordFacets& f) {
  f.user = detail_of(r, "user");
  f.hospital = detail_of(r, "hospital");
  f.terminal_name = detail_of(r, "terminal");
  if (f.terminal_name.empty()) f.terminal_name = r.source;
  if (is_hex_serial(r.actor)) f.terminal = r.actor;
  if (f.terminal.empty()) f.terminal = detail_of(r, "serial");
}

void alert_facets(const audit::AuditRecord& r, RecordFacets& f) {
  if (r.event == "inspection-alert") {
    f.alert = true;
    f.family = first_item(detail_of(r, "families"));
    f.severity = most_severe(detail_of(r, "severity"));
  } else if (r.event == "vpn-packet-alert") {
    f.alert = true;
    f.family = detail_of(r, "kind");
    f.severity = "CRITICAL";
  } else if (r.event == "illicit-operation") {
    f.alert = true;
    f.family = detail_of(r, "rule");
    f.severity = "WARNING";
  } else if (r.event == "ips-block") {
    f.alert = true;
    f.family = "ips-block";
    f.severity = "CRITICAL";
  }
  if (f.alert && f.family.empty()) f.family = "other";
}

}  // namespace

RecordFacets facets_of(const audit::AuditRecord& r, Writer writer) {
  RecordFacets f;
  if (writer == Writer::Gateway) {
    gateway_facets(r, f);
  } else {
    application_facets(r, f);
  }
  alert_facets(r, f);
  return f;
}

std::vector<std::string> daily_metrics_of(const audit::AuditRecord& r, const RecordFacets& f) {
  std::vector<std::string> out;
  static constexpr std::array<std::string_view, 3> kOpened{"connect", "vpn-tunnel-open",
                                                           "ipsec-up"};
  static constexpr std::array<std::string_view, 6> kRefused{
      "tls-reject",        "certificate-reject", "connection-reject",
      "vpn-tunnel-reject", "ipsec-reject",       "session-reject"};
  for (auto e : kOpened) {
    if (r.event == e) out.emplace_back("connection-allowed");
  }
  for (auto e : kRefused) {
    if (r.event == e) out.emplace_back("connection-refused");
  }
  if (r.event == "login" || r.event == "vpn-login") {
    out.emplace_back(r.outcome == audit::Outcome::Deny ? "login-failure" : "login");
  }
  if (f.alert) out.push_back("alert:" + f.family);
  return out;
}

std::string_view event_label(std::string_view event) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kLabels{{
      {"connect", "接続"},
      {"disconnect", "切断"},
      {"tls-reject", "TLS接続の拒否"},
      {"certificate-reject", "証明書による拒否"},
      {"connection-reject", "接続の拒否"},
      {"request-reject", "要求の拒否"},
      {"forced-close", "強制切断"},
      {"inspection-alert", "通信検査の警告"},
      {"vpn-login", "VPNログイン"},
      {"vpn-tunnel-open", "VPNトンネル開始"},
      {"vpn-tunnel-close", "VPNトンネル終了"},
      {"vpn-tunnel-reject", "VPNトンネルの拒否"},
      {"vpn-packet-alert", "VPN通信の警告"},
      {"ips-block", "IPSによる遮断"},
      {"ipsec-up", "IPsec接続"},
      {"ipsec-reject", "IPsec接続の拒否"},
      {"login", "ログイン"},
      {"logout", "ログアウト"},
      {"illicit-operation", "不正操作の検知"},
      {"access-key-lookup", "アクセスキー照会"},
      {"audit-search", "監査ログの検索"},
      {"audit-export", "監査ログの出力"},
  }};
  for (const auto& [name, label] : kLabels) {
    if (name == event) return label;
  }
  return {};
}

std::string_view outcome_label(audit::Outcome outcome) {
  switch (outcome) {
    case audit::Outcome::Allow:
      return "許可";
    case audit::Outcome::Deny:
      return "拒否";
    case audit::Outcome::Info:
      return "記録";
  }
  return "";
}

std::string family_label(std::string_view family) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kLabels{{
      {"sqli", "SQLインジェクション"},
      {"xss", "クロスサイトスクリプティング"},
      {"lfi", "ファイルの不正参照"},
      {"rfi", "リモートファイルの読込"},
      {"rce", "コマンドの不正実行"},
      {"php", "PHP攻撃"},
      {"java", "Java攻撃"},
      {"protocol", "プロトコル違反"},
      {"scanner", "スキャナ"},
      {"port-scan", "ポートスキャン"},
      {"host-scan", "ホストスキャン"},
      {"flood", "フラッド"},
      {"ips-block", "IPSによる遮断"},
      {"access-key-burst", "アクセスキー照会の多発"},
      {"forms-burst", "多数の患者の個人票の閲覧・出力"},
      {"new-terminal", "利用実績のない端末からのログイン"},
      {"off-hours-bulk", "業務時間外の一括出力・取込"},
      {"failed-logins-across-accounts", "一端末から複数アカウントへのログイン失敗"},
      {"old-session-after-forced-logout", "強制ログアウト後の旧セッション使用"},
      {"other", "その他"},
  }};
  for (const auto& [name, label] : kLabels) {
    if (name == family) return std::string(label);
  }
  return std::string(family);
}

}  // namespace nanbyo::console
