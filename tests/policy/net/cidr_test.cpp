// CIDR parsing is strict and matching respects the prefix bit by bit.
#include <catch2/catch.hpp>

#include "policy/net/cidr.h"

using namespace nanbyo::net;

namespace {
IpAddress ip(const char* text) {
  return IpAddress::parse(text).value();
}
}  // namespace

TEST_CASE("CIDR networks parse, print and match addresses", "[cidr]") {
  auto pool = Cidr::parse("10.255.0.0/24");
  REQUIRE(pool.ok());
  CHECK(pool->to_string() == "10.255.0.0/24");
  CHECK(pool->to_mask_string() == "10.255.0.0/255.255.255.0");
  CHECK(pool->netmask_v4().to_string() == "255.255.255.0");
  CHECK(pool->contains(ip("10.255.0.255")));
  CHECK_FALSE(pool->contains(ip("10.255.1.0")));
  CHECK_FALSE(pool->contains(ip("::ffff:10.255.0.1")));

  auto odd = Cidr::parse("172.16.0.0/12");
  REQUIRE(odd.ok());
  CHECK(odd->contains(ip("172.31.255.1")));
  CHECK_FALSE(odd->contains(ip("172.32.0.1")));
  CHECK(odd->netmask_v4().to_string() == "255.240.0.0");

  auto v6 = Cidr::parse("fd00:1::/61");
  REQUIRE(v6.ok());
  CHECK(v6->contains(ip("fd00:1:0:7::1")));
  CHECK_FALSE(v6->contains(ip("fd00:1:0:8::1")));
  CHECK_FALSE(v6->contains(ip("10.0.0.1")));

  CHECK(Cidr::parse("0.0.0.0/0")->contains(ip("203.0.113.9")));
  CHECK(Cidr::parse("192.0.2.7/32")->contains(ip("192.0.2.7")));
}

TEST_CASE("malformed CIDR text is refused with a reason", "[cidr]") {
  auto message = [](const char* text) {
    auto parsed = Cidr::parse(text);
    REQUIRE_FALSE(parsed.ok());
    return parsed.error().message;
  };
  CHECK(message("10.255.0.1/24") == "10.255.0.1/24 has host bits set; did you mean 10.255.0.0/24?");
  CHECK(message("10.0.0.0") == "network \"10.0.0.0\" needs a prefix length, e.g. 10.0.0.0/24");
  CHECK(message("10.0.0.0/33") == "prefix /33 is longer than 32 bits");
  CHECK(message("10.0.0.0/024") == "\"024\" is not a prefix length");
  CHECK(message("10.0.0.0/") == "\"\" is not a prefix length");
  CHECK(message("10.0.0.0/2x") == "\"2x\" is not a prefix length");
  CHECK(message("10.0.0/8") == "\"10.0.0\" is not an IP address");
  CHECK(message("fe80::%eth0/64") == "\"fe80::%eth0\" is not an IP address");
  CHECK(message("fd00::1/64") == "fd00::1/64 has host bits set; did you mean fd00::/64?");
  CHECK(message("fd00::/129") == "prefix /129 is longer than 128 bits");
}

TEST_CASE("a default network is the placeholder 0.0.0.0/32", "[cidr]") {
  const Cidr placeholder;
  CHECK(placeholder.to_string() == "0.0.0.0/32");
  CHECK_FALSE(placeholder.contains(ip("10.0.0.1")));
  CHECK(placeholder == *Cidr::parse("0.0.0.0/32"));
}

TEST_CASE("a network contains the networks inside it, not wider or other ones", "[cidr]") {
  auto net = [](const char* text) { return *Cidr::parse(text); };
  CHECK(net("10.10.0.0/24").contains(net("10.10.0.10/32")));
  CHECK(net("10.10.0.0/24").contains(net("10.10.0.0/24")));
  CHECK(net("0.0.0.0/0").contains(net("203.0.113.0/24")));
  CHECK_FALSE(net("10.10.0.0/24").contains(net("10.10.0.0/23")));
  CHECK_FALSE(net("10.10.0.0/24").contains(net("10.10.1.0/24")));
  CHECK_FALSE(net("0.0.0.0/0").contains(net("fd00::/64")));
}
