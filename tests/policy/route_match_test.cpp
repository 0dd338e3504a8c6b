// Requests go to the route of their listener with the longest path_prefix
// that matches whole path segments; hospitals pass only if both the listener
// and the route admit them.
#include <catch2/catch.hpp>

#include "policy/loader.h"

using namespace nanbyo::policy;

namespace {

std::shared_ptr<const Policy> routing_policy() {
  auto loaded = load_policy_text(R"(version: 1
audit: {path: audit.log}
listeners:
  - name: hospital
    listen: 127.0.0.1:8443
    tls: {certificate: s.crt, private_key: s.key, client_ca: ca.crt, crl: crl.pem}
    allowed_hospitals: ["1310000001", "2710000002"]
  - name: municipality
    listen: 127.0.0.1:9443
    tls: {certificate: s.crt, private_key: s.key, client_ca: ca.crt, crl: crl.pem}
upstreams:
  - {name: appcore, address: "unix:/run/appcore.sock"}
  - {name: reports, address: "127.0.0.1:9001"}
routes:
  - {listener: hospital, path_prefix: /, upstream: appcore}
  - {listener: hospital, path_prefix: /api, upstream: appcore, allowed_hospitals: ["*"]}
  - {listener: hospital, path_prefix: /api/reports, upstream: reports,
     allowed_hospitals: ["1310000001"]}
  - {listener: municipality, path_prefix: /city, upstream: appcore}
)",
                                 "routing.yaml");
  INFO((loaded.ok() ? "" : loaded.error().message));
  REQUIRE(loaded.ok());
  return *loaded;
}

std::string prefix_for(const Policy& p, std::string_view listener, std::string_view path) {
  const Route* r = p.match(listener, path);
  return r ? r->path_prefix : "(none)";
}

}  // namespace

TEST_CASE("the longest matching path_prefix wins", "[match]") {
  auto p = routing_policy();
  CHECK(prefix_for(*p, "hospital", "/") == "/");
  CHECK(prefix_for(*p, "hospital", "/index.html") == "/");
  CHECK(prefix_for(*p, "hospital", "/api") == "/api");
  CHECK(prefix_for(*p, "hospital", "/api/forms/1") == "/api");
  CHECK(prefix_for(*p, "hospital", "/api/reports") == "/api/reports");
  CHECK(prefix_for(*p, "hospital", "/api/reports/2024") == "/api/reports");
  CHECK(p->match("hospital", "/api/reports")->upstream == "reports");
}

TEST_CASE("a prefix matches only at a path segment boundary", "[match]") {
  auto p = routing_policy();
  CHECK(prefix_for(*p, "hospital", "/apix") == "/");
  CHECK(prefix_for(*p, "hospital", "/api/reportsx") == "/api");
  CHECK(prefix_for(*p, "municipality", "/city") == "/city");
  CHECK(prefix_for(*p, "municipality", "/city/") == "/city");
  CHECK(prefix_for(*p, "municipality", "/cityhall") == "(none)");
  CHECK(prefix_for(*p, "municipality", "/") == "(none)");
  CHECK(prefix_for(*p, "hospital", "") == "(none)");
}

TEST_CASE("routes belong to their listener only", "[match]") {
  auto p = routing_policy();
  CHECK(prefix_for(*p, "municipality", "/api") == "(none)");
  CHECK(prefix_for(*p, "nobody", "/") == "(none)");
}

TEST_CASE("a hospital passes only if the listener and the route admit it", "[match][hospitals]") {
  auto p = routing_policy();
  const Route& root = *p->match("hospital", "/");
  const Route& api = *p->match("hospital", "/api");
  const Route& reports = *p->match("hospital", "/api/reports");
  // Omitted and "*" both mean "the listener's list".
  CHECK(root.allowed_hospitals.numbers == std::vector<std::string>{"1310000001", "2710000002"});
  CHECK(api.allowed_hospitals.numbers == root.allowed_hospitals.numbers);
  CHECK(p->allows_hospital(root, "2710000002"));
  CHECK(p->allows_hospital(api, "1310000001"));
  CHECK_FALSE(p->allows_hospital(api, "0110000009"));
  CHECK(p->allows_hospital(reports, "1310000001"));
  CHECK_FALSE(p->allows_hospital(reports, "2710000002"));

  const Route& city = *p->match("municipality", "/city");
  CHECK(p->allows_hospital(city, "0110000009"));  // the listener admits "*"
  // Not a 医療機関番号: never admitted, even by "*".
  CHECK_FALSE(p->allows_hospital(city, ""));
  CHECK_FALSE(p->allows_hospital(city, "*"));
  CHECK_FALSE(p->allows_hospital(city, "131000000１"));
  CHECK_FALSE(p->allows_hospital(city, "13100000012"));
}
