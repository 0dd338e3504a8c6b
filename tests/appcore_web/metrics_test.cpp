// nanbyo-appcore's own metrics (issue 17, O-2), counted by the real routes over the real core:
// logins by outcome, answers by status class, import jobs. tests/prometheus/ lints the text.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "web_fixture.h"

using namespace nanbyo;
using namespace nanbyo::web;
using namespace nanbyo::web::testing;
using appcore::testing::kChosenPassword;

namespace {

bool shows(const AppMetrics& metrics, const std::string& line) {
  return metrics.render().find("\n" + line + "\n") != std::string::npos;
}

// Starts a doctors' import of `csv` and waits (at most 4 s) until its job has ended.
void import_and_wait(Client& town, const std::string& csv) {
  auto start = town.request(http::verb::post, "/api/imports", csv, "text/csv");
  REQUIRE(start.status == 202);
  const std::string job = start.json()["job_id"];
  for (int i = 0; i < 200 && town.get("/api/imports/" + job).json()["state"] == "running"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

}  // namespace

TEST_CASE("O-2: a failed and a good login count by outcome, their answers by status class") {
  WebFixture f;
  auto c = f.client();
  REQUIRE(c.get("/login").status == 200);
  CHECK(c.post_form("/login", {{"user_id", f.town_admin_id}, {"password", "nope"}}).status == 401);
  CHECK(
      c.post_form("/login", {{"user_id", f.town_admin_id}, {"password", kChosenPassword}}).status ==
      303);
  CHECK(shows(f.metrics, "nanbyo_appcore_logins_total{outcome=\"failure\"} 1"));
  CHECK(shows(f.metrics, "nanbyo_appcore_logins_total{outcome=\"success\"} 1"));
  CHECK(shows(f.metrics, "nanbyo_appcore_http_responses_total{code=\"2xx\"} 1"));
  CHECK(shows(f.metrics, "nanbyo_appcore_http_responses_total{code=\"3xx\"} 1"));
  CHECK(shows(f.metrics, "nanbyo_appcore_http_responses_total{code=\"4xx\"} 1"));
  CHECK(shows(f.metrics, "nanbyo_appcore_request_duration_seconds_count 3"));
  CHECK(shows(f.metrics, "nanbyo_appcore_internal_errors_total 0"));
}

TEST_CASE(
    "O-2: a doctors' CSV import counts as one job when it ends, a refused file as a failure") {
  WebFixture f;
  auto town = f.town_admin();
  import_and_wait(town,
                  "氏名,氏名カナ,医籍登録番号,指定医種別,医療機関番号,医療機関名称,"
                  "医療機関所在地,診療科,指定年月日,指定有効期限,指定医番号\r\n"
                  "山田 太郎,ヤマダ タロウ,500001,難病指定医,1310000001,千代田中央病院,"
                  "東京都千代田区1-1,内科,2026-04-01,2031-03-31,13-1001\r\n");
  CHECK(
      shows(f.metrics, "nanbyo_appcore_imports_total{kind=\"doctors-csv\",outcome=\"success\"} 1"));
  import_and_wait(town, "not a csv header\r\n");
  CHECK(
      shows(f.metrics, "nanbyo_appcore_imports_total{kind=\"doctors-csv\",outcome=\"failure\"} 1"));
}

TEST_CASE(
    "O-2: the audit log's state and its write failures are metrics (NanbyoAuditNotWritable)") {
  WebFixture f;
  std::atomic<uint64_t> failures{0};
  f.metrics.show_audit(&f.audit, &failures);
  CHECK(shows(f.metrics, "nanbyo_appcore_audit_writable 1"));
  CHECK(shows(f.metrics, "nanbyo_appcore_audit_write_failures_total 0"));
  f.audit.fail_writes(true);
  failures = 2;
  CHECK(shows(f.metrics, "nanbyo_appcore_audit_writable 0"));
  CHECK(shows(f.metrics, "nanbyo_appcore_audit_write_failures_total 2"));
}
