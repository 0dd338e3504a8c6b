// Addresses parse strictly, print canonically and keep their family.
#include <catch2/catch.hpp>

#include "policy/net/ip_address.h"

using namespace nanbyo::net;

TEST_CASE("IPv4 addresses are dotted decimal only", "[ip]") {
  auto a = Ipv4Address::parse("192.0.2.1");
  REQUIRE(a.ok());
  CHECK(a->to_uint() == 0xc0000201u);
  CHECK(a->to_bytes() == Ipv4Address::Bytes{192, 0, 2, 1});
  CHECK(a->to_string() == "192.0.2.1");
  CHECK(Ipv4Address(Ipv4Address::Bytes{10, 255, 0, 1}) == *Ipv4Address::parse("10.255.0.1"));
  CHECK(Ipv4Address::any().to_string() == "0.0.0.0");
  for (const char* bad :
       {"", "10.1", "010.0.0.1", "10.0.0.256", "10.0.0.1 ", "::1", "a.b.c.d", "10.0.0.1/24"}) {
    INFO(bad);
    CHECK_FALSE(Ipv4Address::parse(bad).ok());
  }
  CHECK(Ipv4Address::parse("10.0.0").error().message == "\"10.0.0\" is not an IPv4 address");
  // A NUL inside must not cut the text short.
  CHECK_FALSE(Ipv4Address::parse(std::string_view("10.0.0.1\0x", 10)).ok());
}

TEST_CASE("IP addresses are IPv4 or IPv6 and never equal across families", "[ip]") {
  auto v4 = IpAddress::parse("10.0.0.1");
  REQUIRE(v4.ok());
  CHECK(v4->is_v4());
  CHECK(v4->to_v4().to_string() == "10.0.0.1");
  CHECK(*v4 == IpAddress(*Ipv4Address::parse("10.0.0.1")));

  auto v6 = IpAddress::parse("2001:DB8:0:0::1");
  REQUIRE(v6.ok());
  CHECK(v6->is_v6());
  CHECK(v6->to_string() == "2001:db8::1");
  CHECK(v6->width() == 128);
  CHECK(v6->to_v4() == Ipv4Address::any());

  auto mapped = IpAddress::parse("::ffff:10.0.0.1");
  REQUIRE(mapped.ok());
  CHECK(mapped->is_v6());
  CHECK(*mapped != *v4);
  CHECK(IpAddress() == IpAddress(Ipv4Address::any()));

  CHECK(IpAddress::parse("fe80::1%eth0").error().message ==
        "\"fe80::1%eth0\" is not an IP address");
  CHECK_FALSE(IpAddress::parse("").ok());
  CHECK_FALSE(IpAddress::parse("[::1]").ok());
}
