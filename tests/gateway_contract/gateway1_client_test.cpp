// The typed client of org.nanbyo.Gateway1 says what is wrong in one line naming the bus. (Its
// calls against the real service: tests/gateway_control and tests/appcore_web.)
#include <catch2/catch.hpp>

#include "../gateway_control/private_bus.h"
#include "../pki/test_support.h"
#include "gateway/contract/gateway1_client.h"

using namespace nanbyo;
using gw::dbus::BusChoice;
using gw::dbus::Gateway1Client;

TEST_CASE("a bus nobody listens on cannot be reached", "[contract]") {
  testing::TempDir dir;
  const std::string address = "unix:path=" + (dir.path() / "no-bus").string();
  auto client = Gateway1Client::connect(BusChoice::at(address), "test");
  // sd-bus connects lazily: the failure may come with the first call.
  std::string message =
      client ? client->revoke_user("A0000001").error().message : client.error().message;
  CHECK(message.find("cannot reach nanbyo-gateway on the bus at " + address) == 0);
}

TEST_CASE("a bus without the gateway says it is not running", "[contract]") {
  testing::TempDir dir;
  std::string why_not;
  auto bus = testing::PrivateBus::start(dir.path(), why_not);
  REQUIRE(bus);  // dbus-daemon is in packaging/install-deps.sh
  auto client = Gateway1Client::connect(BusChoice::at(bus->address()), "test");
  REQUIRE(client);
  auto closed = client->revoke_user("A0000001");
  REQUIRE_FALSE(closed);
  CHECK(closed.error().message == "cannot reach nanbyo-gateway on the bus at " + bus->address() +
                                      ": it is not running (org.nanbyo.Gateway1 has no owner)");
  CHECK(client->revoke_user("bad\xff").error().message == "the user is not valid UTF-8 text");
}
