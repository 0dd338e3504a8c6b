// nanbyo-tund admits a request only inside the policy's pool and MTU (issue 13).
#include <catch2/catch.hpp>

#include "gateway/tund/tun_limits.h"

using namespace nanbyo::tund;

namespace {

TunLimits limits() {
  nanbyo::policy::Vpn vpn;
  vpn.address_pool = *nanbyo::net::Cidr::parse("10.255.0.0/24");
  vpn.gateway_address = *nanbyo::net::Ipv4Address::parse("10.255.0.1");
  vpn.mtu = 1400;
  return limits_from_policy(vpn).value();
}

TunRequest request(const char* peer, unsigned mtu) {
  return {*nanbyo::net::Ipv4Address::parse(peer), mtu};
}

}  // namespace

TEST_CASE("a client address of the pool gets the gateway's end and a helper-chosen name",
          "[tund]") {
  auto config = admit(request("10.255.0.2", 1400), limits());
  REQUIRE(config);
  CHECK(config->local.to_string() == "10.255.0.1");
  CHECK(config->peer.to_string() == "10.255.0.2");
  CHECK(config->mtu == 1400);
  CHECK(config->name_pattern == "nbvpn%d");
  CHECK(admit(request("10.255.0.254", 576), limits()));
}

TEST_CASE("addresses outside the pool, its edges and the gateway's own are refused", "[tund]") {
  auto outside = admit(request("10.10.0.10", 1400), limits());
  REQUIRE_FALSE(outside);
  CHECK(outside.error().message == "address 10.10.0.10 is outside the pool 10.255.0.0/24");
  CHECK_FALSE(admit(request("10.255.0.0", 1400), limits()));
  CHECK_FALSE(admit(request("10.255.0.255", 1400), limits()));
  auto own = admit(request("10.255.0.1", 1400), limits());
  REQUIRE_FALSE(own);
  CHECK(own.error().message == "address 10.255.0.1 is the gateway's");
}

TEST_CASE("an MTU beyond the policy's or below IPv4's minimum is refused", "[tund]") {
  auto big = admit(request("10.255.0.2", 1401), limits());
  REQUIRE_FALSE(big);
  CHECK(big.error().message == "MTU 1401 is outside 576-1400");
  CHECK_FALSE(admit(request("10.255.0.2", 575), limits()));
  CHECK_FALSE(admit(request("10.255.0.2", 0), limits()));
}

TEST_CASE("limits need an IPv4 pool", "[tund]") {
  nanbyo::policy::Vpn vpn;
  vpn.address_pool = *nanbyo::net::Cidr::parse("fd00::/64");
  vpn.gateway_address = *nanbyo::net::Ipv4Address::parse("10.255.0.1");
  CHECK_FALSE(limits_from_policy(vpn));
}
