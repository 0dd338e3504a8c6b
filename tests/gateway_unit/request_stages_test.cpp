// The request stages refuse crafted targets and never pass client-made identity on.
#include <catch2/catch.hpp>

#include "gateway/request_stages.h"
#include "policy/loader.h"

using namespace nanbyo;
using namespace nanbyo::gw;

namespace {

std::shared_ptr<const policy::Policy> test_policy() {
  auto loaded = policy::load_policy_text(R"(
version: 1
audit: {path: /tmp/audit.jsonl}
listeners:
  - name: hospital
    listen: 127.0.0.1:8443
    tls: {certificate: s.crt, private_key: s.key, client_ca: ca.crt}
upstreams:
  - {name: appcore, address: 127.0.0.1:9000}
routes:
  - {listener: hospital, path_prefix: /, upstream: appcore}
  - {listener: hospital, path_prefix: /tokyo, upstream: appcore, allowed_hospitals: ["1310000001"]}
)",
                                         "test.yaml");
  REQUIRE(loaded.ok());
  return loaded.value();
}

}  // namespace

TEST_CASE("targets with dot segments or encoded slashes are refused", "[stages]") {
  std::string path;
  CHECK(normalized_path("/a/b?x=../y", path));
  CHECK(path == "/a/b");
  for (auto bad :
       {"", "a/b", "/a/../tokyo", "/./x", "/a%2fb", "/a%5Cb", "/a\\b", "http://evil.example/"}) {
    INFO(bad);
    CHECK_FALSE(normalized_path(bad, path));
  }
}

TEST_CASE("identity headers from the client are replaced by the verified ones", "[stages]") {
  Request request{http::verb::get, "/x", 11};
  request.set("X-Nanbyo-Hospital", "9999999999");
  request.set("X-Nanbyo-Cert-Serial", "FORGED");
  request.set("X-Forwarded-For", "10.9.9.9");
  request.set("X-Nanbyo-Session", "user=admin; issued=1");
  request.set("X-Secret-Hop", "drop me");
  request.set(http::field::connection, "X-Secret-Hop");
  rewrite_identity_headers(request, {"ABCDEF", "1310000001", "pc01", ""}, "hospital",
                           "127.0.0.1:40000", "req-1");
  CHECK(request["X-Nanbyo-Hospital"] == "1310000001");
  CHECK(request["X-Nanbyo-Cert-Serial"] == "ABCDEF");
  CHECK(request["X-Nanbyo-Terminal"] == "pc01");
  CHECK(request["X-Forwarded-For"] == "127.0.0.1");
  CHECK(request["X-Request-Id"] == "req-1");
  CHECK(request.find("X-Nanbyo-Session") == request.end());
  CHECK(request.find("X-Secret-Hop") == request.end());
}

TEST_CASE("a client without a certificate carries no identity headers", "[stages]") {
  Request request{http::verb::get, "/x", 11};
  request.set("X-Nanbyo-Hospital", "9999999999");
  rewrite_identity_headers(request, {}, "municipality", "[::1]:5000", "req-2");
  CHECK(request.find("X-Nanbyo-Hospital") == request.end());
  CHECK(request["X-Forwarded-For"] == "::1");
}

TEST_CASE("routing refuses unknown paths and hospitals a route does not admit", "[stages]") {
  auto policy = test_policy();
  const policy::Route* route = nullptr;
  Request request{http::verb::get, "/tokyo/forms", 11};
  auto allowed = route_request(*policy, "hospital", {"S", "1310000001", "pc", ""}, request, route);
  CHECK(allowed.proceed);
  REQUIRE(route != nullptr);
  CHECK(route->path_prefix == "/tokyo");

  auto refused = route_request(*policy, "hospital", {"S", "2710000002", "pc", ""}, request, route);
  CHECK_FALSE(refused.proceed);
  CHECK(refused.status == http::status::forbidden);
  CHECK(refused.check == "hospital-not-allowed");

  Request crafted{http::verb::get, "/x/../tokyo/forms", 11};
  auto bad = route_request(*policy, "hospital", {"S", "2710000002", "pc", ""}, crafted, route);
  CHECK(bad.status == http::status::bad_request);
}

TEST_CASE("a client without certificate passes only routes open to every hospital", "[stages]") {
  auto policy = test_policy();
  const policy::Route* route = nullptr;
  Request open_route{http::verb::get, "/forms", 11};
  CHECK(route_request(*policy, "hospital", {}, open_route, route).proceed);
  Request listed{http::verb::get, "/tokyo/forms", 11};
  auto refused = route_request(*policy, "hospital", {}, listed, route);
  CHECK_FALSE(refused.proceed);
  CHECK(refused.check == "hospital-not-allowed");
}

TEST_CASE("paths the upstream could read differently from the router are refused", "[stages]") {
  std::string path;
  for (auto bad : {"/x/%2e%2e/reports", "/x/%2E%2E/reports", "/x/.%2e/reports", "//reports",
                   "/x#/../reports", "/a%00b", "/a/%", "/a//b"}) {
    INFO(bad);
    CHECK_FALSE(normalized_path(bad, path));
  }
  CHECK(normalized_path("/reports/", path));
  CHECK(normalized_path("/a%20b", path));
  CHECK(normalized_path("/", path));
}
