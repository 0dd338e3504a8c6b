// The pool leases each address once, skips network, broadcast and gateway, gives a returning
// certificate its old address and reports exhaustion.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "gateway/vpn/address_pool.h"

using namespace nanbyo::vpn;

namespace {

std::unique_ptr<AddressPool> pool(const char* network, const char* gateway) {
  auto made = AddressPool::create(*nanbyo::net::Cidr::parse(network),
                                  *nanbyo::net::Ipv4Address::parse(gateway));
  REQUIRE(made.ok());
  return std::move(made).value();
}

}  // namespace

TEST_CASE("a /29 pool leases its five client addresses, then is exhausted", "[pool]") {
  auto p = pool("10.255.0.0/29", "10.255.0.1");
  CHECK(p->capacity() == 5);
  CHECK(p->netmask().to_string() == "255.255.255.248");
  std::set<std::string> seen;
  for (int i = 0; i < 5; ++i) {
    auto lease = p->acquire("SERIAL" + std::to_string(i));
    REQUIRE(lease.ok());
    seen.insert(lease->address.to_string());
  }
  CHECK(seen == std::set<std::string>{"10.255.0.2", "10.255.0.3", "10.255.0.4", "10.255.0.5",
                                      "10.255.0.6"});
  CHECK(p->leased() == 5);
  auto none = p->acquire("SERIAL5");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message == "address pool 10.255.0.0/29 is exhausted (5 addresses leased)");
}

TEST_CASE("a released address is reused and a returning serial gets its old one", "[pool]") {
  auto p = pool("10.255.0.0/29", "10.255.0.1");
  auto a = *p->acquire("AAAA");
  auto b = *p->acquire("BBBB");
  p->release(a);
  CHECK(p->leased() == 1);
  // A newcomer takes a never-used address, keeping AAAA's free for its return.
  auto c = *p->acquire("CCCC");
  CHECK(c.address != a.address);
  auto again = *p->acquire("AAAA");
  CHECK(again.address == a.address);
  // When only remembered addresses are left, a newcomer takes one of them.
  p->release(b);
  auto d = *p->acquire("DDDD");
  auto e = *p->acquire("EEEE");
  auto f = *p->acquire("FFFF");
  CHECK(f.address == b.address);
  CHECK_FALSE(p->acquire("GGGG").ok());  // all five leased
  p->release(c);
  auto b_back = p->acquire("BBBB");
  REQUIRE(b_back.ok());
  CHECK(b_back->address == c.address);  // its old address is taken: it gets the one free
  CHECK(d.address != e.address);
}

TEST_CASE("a second lease for the same serial takes over, the old release is ignored", "[pool]") {
  auto p = pool("10.255.0.0/24", "10.255.0.254");
  CHECK(p->capacity() == 253);
  auto first = *p->acquire("PC01");
  auto second = *p->acquire("PC01");  // reconnect before the old session noticed
  CHECK(second.address == first.address);
  CHECK(second.id != first.id);
  CHECK(p->leased() == 1);
  p->release(first);  // the old session ends late
  CHECK(p->leased() == 1);
  auto other = *p->acquire("PC02");
  CHECK(other.address != first.address);
  p->release(second);
  CHECK(p->leased() == 1);
  p->release(second);  // twice: no effect
  CHECK(p->leased() == 1);
}

TEST_CASE("pool creation refuses IPv6 and sizes outside /16-/30", "[pool]") {
  auto gw = *nanbyo::net::Ipv4Address::parse("10.0.0.1");
  auto v6 = AddressPool::create(*nanbyo::net::Cidr::parse("fd00::/120"), gw);
  REQUIRE_FALSE(v6.ok());
  CHECK(v6.error().message == "address pool fd00::/120 is not IPv4");
  auto tiny = AddressPool::create(*nanbyo::net::Cidr::parse("10.0.0.0/31"), gw);
  REQUIRE_FALSE(tiny.ok());
  CHECK(tiny.error().message == "address pool 10.0.0.0/31 must be between /16 and /30");
  CHECK_FALSE(AddressPool::create(*nanbyo::net::Cidr::parse("10.0.0.0/8"), gw).ok());
  // A gateway outside the network takes nothing from it.
  CHECK(pool("10.255.0.0/30", "192.0.2.1")->capacity() == 2);
}

TEST_CASE("concurrent leases never hand out an address twice", "[pool]") {
  auto p = pool("10.255.0.0/24", "10.255.0.1");
  std::vector<std::vector<AddressLease>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 60; ++i) {
        auto lease = p->acquire("T" + std::to_string(t) + "-" + std::to_string(i));
        if (lease) got[t].push_back(*lease);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::uint32_t> unique;
  std::size_t total = 0;
  for (const auto& leases : got) {
    total += leases.size();
    for (const auto& lease : leases) unique.insert(lease.address.to_uint());
  }
  CHECK(total == 240);
  CHECK(unique.size() == 240);
  CHECK(p->leased() == 240);
}
