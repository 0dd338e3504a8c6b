// The router and the upstream read the same path (issue 14: "/%61dmin" matched route "/").
#include <catch2/catch.hpp>

#include "gateway/stages/request_target.h"

using namespace nanbyo::gw;

TEST_CASE("escapes of unreserved characters are decoded before routing", "[stages]") {
  auto t = normalize_target("/%61dmin/%7Euser?q=%61");
  REQUIRE(t);
  CHECK(t->path == "/admin/~user");
  CHECK(t->target == "/admin/~user?q=%61");  // the query goes on as sent
  auto kept = normalize_target("/a%20b/%E4%BC%9A");
  REQUIRE(kept);
  CHECK(kept->path == "/a%20b/%E4%BC%9A");  // reserved and non-ASCII escapes stay
  CHECK(normalize_target("/a/b?x=../y")->path == "/a/b");
}

TEST_CASE("targets the upstream could read differently from the router are refused", "[stages]") {
  for (auto bad :
       {"", "a/b", "/a/../tokyo", "/./x", "/a%2fb", "/a%5Cb", "/a\\b", "http://evil.example/",
        "/x/%2e%2e/reports", "/x/%2E%2E/reports", "/x/.%2e/reports", "//reports", "/x#/../reports",
        "/a%00b", "/a/%", "/a/%4", "/a/%zz", "/a//b", "/%2e%2e/admin"}) {
    INFO(bad);
    CHECK_FALSE(normalize_target(bad));
  }
  for (auto good : {"/reports/", "/", "/a%20b"}) {
    INFO(good);
    CHECK(normalize_target(good));
  }
}
