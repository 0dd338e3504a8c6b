// The scalar formats: addresses are canonical, quoted values in messages stay
// on one line, and near-misses are refused.
#include <catch2/catch.hpp>

#include "policy/formats.h"

using namespace nanbyo::policy;
using namespace nanbyo::policy::formats;

TEST_CASE("endpoints parse IPv4 and bracketed IPv6 into canonical text", "[formats]") {
  CHECK(parse_endpoint("127.0.0.1:1")->to_string() == "127.0.0.1:1");
  CHECK(parse_endpoint("[0:0:0:0:0:0:0:1]:65535")->to_string() == "[::1]:65535");
  CHECK(parse_endpoint("[::1]:8443")->ipv6);
  for (const char* bad :
       {"127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:+1", "::1:8443",
        "[::1]", "[127.0.0.1]:80", "host:80", "127.1:80", "[fe80::1%eth0]:80", ":80"}) {
    INFO(bad);
    CHECK_FALSE(parse_endpoint(bad).ok());
  }
}

TEST_CASE("loopback and wildcard addresses are recognised", "[formats]") {
  CHECK(is_loopback(*parse_endpoint("127.0.0.1:9100")));
  CHECK(is_loopback(*parse_endpoint("127.8.0.2:9100")));
  CHECK(is_loopback(*parse_endpoint("[::1]:9100")));
  CHECK_FALSE(is_loopback(*parse_endpoint("10.0.0.1:9100")));
  CHECK_FALSE(is_loopback(*parse_endpoint("[::]:9100")));
  CHECK(is_unspecified(*parse_endpoint("0.0.0.0:1")));
  CHECK(is_unspecified(*parse_endpoint("[::]:1")));
}

TEST_CASE("upstream addresses are a unix socket or a concrete endpoint", "[formats]") {
  CHECK(std::get<UnixSocket>(*parse_upstream_address("unix:/run/a.sock")).path == "/run/a.sock");
  CHECK(std::holds_alternative<Endpoint>(*parse_upstream_address("[::1]:9000")));
  CHECK_FALSE(parse_upstream_address("unix:").ok());
  CHECK_FALSE(parse_upstream_address("0.0.0.0:9000").ok());
}

TEST_CASE("integers are plain decimal", "[formats]") {
  CHECK(*parse_integer("007") == 7);
  CHECK(*parse_integer("-5") == -5);
  for (const char* bad :
       {"", "-", "+1", "0x10", "1e3", "1_000", "1.0", " 1", "99999999999999999999"}) {
    INFO(bad);
    CHECK_FALSE(parse_integer(bad).ok());
  }
}

TEST_CASE("names and path prefixes follow their rules", "[formats]") {
  CHECK(check_name("appcore-2_b").ok());
  CHECK_FALSE(check_name("-x").ok());
  CHECK_FALSE(check_name(std::string(64, 'a')).ok());
  for (const char* good : {"/", "/api", "/api/v1", "/a.b~c", "/@x:y"}) {
    INFO(good);
    CHECK(check_path_prefix(good).ok());
  }
  for (const char* bad :
       {"", "api", "/api/", "//", "/a//b", "/./a", "/a/..", "/a?b", "/a#b", "/a%20b", "/a b"}) {
    INFO(bad);
    CHECK_FALSE(check_path_prefix(bad).ok());
  }
}

TEST_CASE("quoted values stay on one line and are cut at a character boundary", "[formats]") {
  CHECK(quote("a\"b\\c\nd\te\x01") == R"("a\"b\\c\nd\te\x01")");
  const std::string long_text = std::string(79, 'x') + "医";  // the 3-byte 医 straddles byte 80
  CHECK(quote(long_text) == "\"" + std::string(79, 'x') + "...\"");
}
