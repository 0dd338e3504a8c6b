// Revocation ends exactly the matching live connections and is remembered.
#include <catch2/catch.hpp>

#include "gateway/revocation_bus.h"

using namespace nanbyo::gw;

namespace {

struct FakeConnection : LiveConnection {
  std::vector<std::string> closed;
  void close(const std::string& reason) override { closed.push_back(reason); }
};

std::shared_ptr<FakeConnection> connect(ConnectionRegistry& registry, const std::string& serial) {
  auto c = std::make_shared<FakeConnection>();
  c->identity = {serial, "1310000001", "pc", ""};
  registry.add(c);
  return c;
}

}  // namespace

TEST_CASE("revoking a certificate closes its connections only", "[revocation]") {
  ConnectionRegistry registry;
  RevocationBus bus(registry);
  auto a1 = connect(registry, "AA");
  auto a2 = connect(registry, "AA");
  auto b = connect(registry, "BB");
  std::vector<RevocationEvent> seen;
  bus.subscribe([&](const RevocationEvent& e) { seen.push_back(e); });

  auto event = bus.revoke_certificate("AA", "operator");
  CHECK(event.closed == 2);
  CHECK(a1->closed.size() == 1);
  CHECK(a2->closed.size() == 1);
  CHECK(b->closed.empty());
  CHECK(bus.certificate_revoked("AA"));
  CHECK_FALSE(bus.certificate_revoked("BB"));
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].source == "operator");
}

TEST_CASE("a new CRL closes only the newly revoked certificates", "[revocation]") {
  ConnectionRegistry registry;
  RevocationBus bus(registry);
  auto a = connect(registry, "AA");
  auto b = connect(registry, "BB");
  CHECK(bus.apply_crl({"AA"}).size() == 1);
  CHECK(a->closed.size() == 1);
  auto events = bus.apply_crl({"AA", "BB"});
  REQUIRE(events.size() == 1);
  CHECK(events[0].id == "BB");
  CHECK(a->closed.size() == 1);  // not closed twice
  CHECK(b->closed.size() == 1);
}

TEST_CASE("a revoked user's old sessions are refused, a new login is not", "[revocation]") {
  ConnectionRegistry registry;
  RevocationBus bus(registry);
  auto c = connect(registry, "AA");
  c->set_user("A0000001");
  auto event = bus.revoke_user("A0000001", 1000, "appcore");
  CHECK(event.closed == 1);
  CHECK(bus.session_revoked("A0000001", 999));
  CHECK(bus.session_revoked("A0000001", 1000));
  CHECK_FALSE(bus.session_revoked("A0000001", 1001));
  CHECK_FALSE(bus.session_revoked("B0000001", 1));
}

TEST_CASE("the registry lists live connections and forgets closed ones", "[registry]") {
  ConnectionRegistry registry;
  auto a = connect(registry, "AA");
  {
    auto gone = connect(registry, "BB");
    (void)gone;
  }
  auto listed = registry.list();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].serial == "AA");
  registry.remove(a->id);
  CHECK(registry.list().empty());
}

TEST_CASE("revoking an issuing CA ends the connections of every PC it issued", "[revocation]") {
  ConnectionRegistry registry;
  RevocationBus bus(registry);
  auto pc = std::make_shared<FakeConnection>();
  pc->identity = {"AA", "1310000001", "pc", "CA1"};
  registry.add(pc);
  auto other = connect(registry, "BB");
  CHECK(bus.revoke_certificate("CA1", "crl").closed == 1);
  CHECK(pc->closed.size() == 1);
  CHECK(other->closed.empty());
}
