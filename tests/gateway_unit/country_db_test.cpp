// GeoIP (issue 14): a listener's country allow-list against a MaxMind DB built for the test
// (tests/gateway/make_country_db.pl: 198.51.100.0/24 JP, 203.0.113.0/24 US, 2001:db8::/32 JP).
#include <catch2/catch.hpp>

#include "gateway/geoip/country_db.h"

using namespace nanbyo;
using namespace nanbyo::gw;

namespace {

const CountryDb& test_db() {
  static std::shared_ptr<const CountryDb> db;
  if (!db) {
    auto opened = CountryDb::open(NANBYO_TEST_COUNTRY_DB);
    INFO((opened ? std::string() : opened.error().message));
    REQUIRE(opened);
    db = *opened;
  }
  return *db;
}

CountryVerdict judge(const std::vector<std::string>& allowed, const char* address) {
  return judge_country(test_db(), allowed, asio::ip::make_address(address));
}

}  // namespace

TEST_CASE("the database names the country of an address", "[geoip]") {
  CHECK(test_db().country(asio::ip::make_address("198.51.100.7")) == "JP");
  CHECK(test_db().country(asio::ip::make_address("203.0.113.9")) == "US");
  CHECK(test_db().country(asio::ip::make_address("2001:db8::1")) == "JP");
  CHECK(test_db().country(asio::ip::make_address("192.0.2.1")) == std::nullopt);
}

TEST_CASE("Japan alone by default, a list or * widens it", "[geoip]") {
  CHECK(judge({}, "198.51.100.7").allowed);
  auto us = judge({}, "203.0.113.9");
  CHECK_FALSE(us.allowed);
  CHECK(us.country == "US");
  CHECK(judge({"US"}, "203.0.113.9").allowed);
  CHECK_FALSE(judge({"US"}, "198.51.100.7").allowed);
  CHECK(judge({"*"}, "203.0.113.9").allowed);
  CHECK(judge({}, "2001:db8::1").allowed);
}

TEST_CASE("an address the database does not know passes only when it is local", "[geoip]") {
  auto unknown = judge({}, "192.0.2.1");
  CHECK_FALSE(unknown.allowed);
  CHECK(unknown.country == "unknown");
  for (auto local : {"10.1.2.3", "172.16.0.1", "192.168.1.10", "127.0.0.1", "169.254.1.1", "::1",
                     "fe80::1", "fd00::1", "::ffff:10.1.2.3"}) {
    INFO(local);
    CHECK(judge({}, local).allowed);
  }
  CHECK_FALSE(judge({}, "172.32.0.1").allowed);
}
