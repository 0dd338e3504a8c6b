// The auditor's console through the real routes (issue 17, S-7): only security
// auditors get in; both logs are searched by the console's conditions; a
// record opens with its file check; the CSV is formula-safe; the charts are
// SVG without script or inline style; the chain page shows each log's last
// hash; and every search, view and export is itself audited.
#include <catch2/catch.hpp>

#include <fstream>

#include "appcore/audit_console/audit_index.h"
#include "pki/atomic_file.h"
#include "pki/audit/audit_log.h"
#include "web_fixture.h"

using namespace nanbyo;
using namespace nanbyo::web;
using namespace nanbyo::web::testing;
using appcore::Role;
using appcore::testing::kChosenPassword;
using nanbyo::testing::must;
namespace fs = std::filesystem;

namespace {

struct ConsoleFixture : WebFixture {
  fs::path gateway_log = dir / "logs" / "gateway.jsonl";
  fs::path appcore_log = dir / "logs" / "appcore.jsonl";
  std::string gateway_last_hash;
  std::unique_ptr<console::AuditIndex> index;
  std::string auditor_id;

  ConsoleFixture() {
    fs::create_directories(gateway_log.parent_path());
    {
      auto gw = must(audit::AuditLog::open(gateway_log, clock));
      must(gw->append(
          {"connect",
           audit::Outcome::Allow,
           "0A0B0C",
           "",
           "192.0.2.10:50000",
           {{"listener", "hospital"}, {"hospital", "1310000001"}, {"terminal", "pc-01"}}}));
      must(gw->append({"inspection-alert",
                       audit::Outcome::Deny,
                       "0A0B0C",
                       "",
                       "192.0.2.10:50000",
                       {{"listener", "hospital"},
                        {"hospital", "1310000001"},
                        {"families", "sqli"},
                        {"severity", "CRITICAL"},
                        {"rules", "942100"}}}));
      gateway_last_hash = gw->last_hash();
    }
    {
      auto app = must(audit::AuditLog::open(appcore_log, clock));
      // A hostile user name that a spreadsheet would run as a formula.
      must(app->append({"login",
                        audit::Outcome::Deny,
                        "=HYPERLINK(\"http://x\")",
                        "",
                        "2710000002/pc-b",
                        {{"reason", "no-such-user"}}}));
    }
    index = must(console::AuditIndex::open(
        dir / "audit-index.sqlite", {{"gateway", gateway_log, console::Writer::Gateway},
                                     {"appcore", appcore_log, console::Writer::ApplicationCore}}));
    serve_audit_console(index.get());
    auto cred = must(core->create_staff_user(op, Role::SecurityAuditor, "監査 花子", "", ""));
    activate(cred.user_id, cred.initial_password);
    auditor_id = cred.user_id;
  }

  Client auditor() {
    Client c = client("1310000001");
    REQUIRE(c.api_login(auditor_id, kChosenPassword) == "active");
    return c;
  }
};

}  // namespace

TEST_CASE("S-7: only a security auditor opens the console") {
  ConsoleFixture f;
  Client town = f.town_admin();
  CHECK(town.get("/audit").status == 403);
  CHECK(town.get("/audit/export.csv").status == 403);
  CHECK(town.get("/audit/charts").status == 403);
  Client auditor = f.auditor();
  auto home = auditor.get("/");
  CHECK(home.body().find("監査ログの検索") != std::string::npos);
  CHECK(auditor.get("/audit").status == 200);
}

TEST_CASE("S-7: the console searches both logs by its conditions and says when they are wrong") {
  ConsoleFixture f;
  Client a = f.auditor();
  auto all = a.get("/api/audit/records").json();
  // The three records of the logs, and the console's own "audit-search" is written after
  // the search, so it is not among them.
  CHECK(all["count"] == 3);
  auto alerts = a.get("/audit?alerts=1");
  REQUIRE(alerts.status == 200);
  CHECK(alerts.body().find("SQLインジェクション / CRITICAL") != std::string::npos);
  CHECK(alerts.body().find("ログイン（login）") == std::string::npos);
  auto denied_logins = a.get("/api/audit/records?event=login&outcome=deny").json();
  REQUIRE(denied_logins["records"].size() == 1);
  CHECK(denied_logins["records"][0]["hospital"] == "2710000002");
  auto by_terminal = a.get("/api/audit/records?terminal=0A0B0C&log=gateway").json();
  CHECK(by_terminal["records"].size() == 2);
  auto none = a.get("/api/audit/records?hospital=9999999999").json();
  CHECK(none["records"].empty());
  auto bad = a.get("/audit?since=yesterday");
  CHECK(bad.body().find("開始日時は") != std::string::npos);
  CHECK(f.audited("audit-search", audit::Outcome::Allow, "audit-log"));
}

TEST_CASE("S-7: a record opens with its file check, and the console notices an edit") {
  ConsoleFixture f;
  Client a = f.auditor();
  auto found = a.get("/api/audit/records?event=inspection-alert").json();
  REQUIRE(found["records"].size() == 1);
  const std::string id = std::to_string(found["records"][0]["id"].get<long long>());
  auto detail = a.get("/audit/records/" + id);
  REQUIRE(detail.status == 200);
  CHECK(detail.body().find("ハッシュ照合済み") != std::string::npos);
  CHECK(detail.body().find("942100") != std::string::npos);
  CHECK(a.get("/audit/records/999999").status == 404);
  CHECK(a.get("/audit/records/x1").status == 404);

  // Someone with write access to the gateway's files changes the rule id in place.
  auto text = must(read_file(f.gateway_log));
  {
    std::fstream file(f.gateway_log, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(text.find("942100")));
    file << "000000";
  }
  detail = a.get("/audit/records/" + id);
  CHECK(detail.body().find("書き換えられています") != std::string::npos);
  auto verified = a.post_form("/audit/verify", {});
  REQUIRE(verified.status == 200);
  CHECK(verified.body().find("異常") != std::string::npos);
  CHECK(f.audited("audit-verify", audit::Outcome::Deny, "audit-log"));
}

TEST_CASE("S-7: the CSV export is formula-safe and audited") {
  ConsoleFixture f;
  Client a = f.auditor();
  auto csv = a.get("/audit/export.csv?log=appcore");
  REQUIRE(csv.status == 200);
  CHECK(csv.header("Content-Type").find("text/csv") == 0);
  CHECK(csv.body().rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(csv.body().find("\"'=HYPERLINK(\"\"http://x\"\")\"") != std::string::npos);
  CHECK(csv.body().find("0A0B0C") == std::string::npos);  // the gateway's records are not asked
  CHECK(f.audited("audit-export", audit::Outcome::Allow, "audit-log"));
}

TEST_CASE("S-7: the charts are server-made SVG and the chain page shows each last hash") {
  ConsoleFixture f;
  Client a = f.auditor();
  auto charts = a.get("/audit/charts?days=7");
  REQUIRE(charts.status == 200);
  const std::string& html = charts.body();
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("id=\"chart-alerts\"") != std::string::npos);
  CHECK(html.find("style=") == std::string::npos);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(charts.header("Content-Security-Policy").find("style-src 'self'") != std::string::npos);
  auto chain = a.get("/audit/chain");
  REQUIRE(chain.status == 200);
  CHECK(chain.body().find(f.gateway_last_hash) != std::string::npos);
  CHECK(chain.body().find("正常") != std::string::npos);
  auto verified = a.post_form("/audit/verify", {});
  CHECK(verified.body().find("改ざんは見つかりませんでした") != std::string::npos);
}
