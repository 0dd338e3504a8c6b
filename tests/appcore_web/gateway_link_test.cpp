// The D-Bus GatewayLink against the gateway's real control service
// (DbusControlService over a FakeControlApi) on a private dbus-daemon.
#include <catch2/catch.hpp>
#include <thread>

// Their header; its aggregate initialisers leave optional members implicit.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include "../gateway_control/fake_control_api.h"
#pragma GCC diagnostic pop
#include "../gateway_control/private_bus.h"
#include "../pki/test_support.h"
#include "appcore/web/gateway_link.h"
#include "gateway/control/dbus_service.h"

using namespace nanbyo;

namespace {

// The gateway's real control service over a FakeControlApi on a private dbus-daemon, its
// loop on a thread until stop().
struct ControlServiceOnBus {
  testing::TempDir dir;
  std::unique_ptr<testing::PrivateBus> bus;
  testing::FakeControlApi api;
  gw::asio::io_context io;
  std::unique_ptr<gw::dbus::DbusControlService> service;
  std::thread loop;

  ControlServiceOnBus() {
    std::string why_not;
    bus = testing::PrivateBus::start(dir.path(), why_not);
    REQUIRE(bus);  // dbus-daemon is in packaging/install-deps.sh
    gw::dbus::DbusControlService::Options options;
    options.bus = gw::dbus::BusChoice::at(bus->address());
    auto started = gw::dbus::DbusControlService::start(api, io, std::move(options));
    REQUIRE(started.ok());
    service = std::move(started).value();
    loop = std::thread([this] {
      auto guard = gw::asio::make_work_guard(io);
      io.run();
    });
  }
  void stop() {
    io.stop();
    if (loop.joinable()) loop.join();
    service.reset();
  }
  ~ControlServiceOnBus() { stop(); }
};

}  // namespace

TEST_CASE("RevokeUser reaches the gateway's control service and reports closed connections",
          "[gateway]") {
  ControlServiceOnBus gateway;
  gateway.api.closed_per_revocation = 3;
  auto link = web::make_dbus_gateway_link(gateway.bus->address());
  REQUIRE(link.ok());
  auto closed = (*link)->revoke_user("A0000001");
  gateway.stop();
  REQUIRE(closed.ok());
  CHECK(closed.value() == 3);
  auto calls = gateway.api.calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].method == "revoke_user");
  CHECK(calls[0].argument == "A0000001");
}

TEST_CASE("ReportFailedLogin reaches the gateway's control service with terminal and source",
          "[gateway]") {
  ControlServiceOnBus gateway;
  auto link = web::make_dbus_gateway_link(gateway.bus->address());
  REQUIRE(link.ok());
  auto other = (*link)->report_failed_login("1F2E3D", "192.0.2.10");
  auto crossing = (*link)->report_failed_login("0A1B2C3D", "192.0.2.10");  // the fake's threshold
  gateway.stop();
  REQUIRE(other.ok());
  CHECK_FALSE(other.value());
  REQUIRE(crossing.ok());
  CHECK(crossing.value());
  auto calls = gateway.api.calls();
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].method == "report_failed_login");
  CHECK(calls[0].argument == "1F2E3D 192.0.2.10");
}

TEST_CASE("no gateway on the bus is an error naming the bus", "[gateway]") {
  testing::TempDir dir;
  std::string why_not;
  auto bus = testing::PrivateBus::start(dir.path(), why_not);
  REQUIRE(bus);
  auto link = web::make_dbus_gateway_link(bus->address());
  REQUIRE(link.ok());
  auto closed = (*link)->revoke_user("A0000001");
  REQUIRE_FALSE(closed.ok());
  CHECK(closed.error().message.find(bus->address()) != std::string::npos);
}

TEST_CASE("a bad bus name is refused at start-up", "[gateway]") {
  CHECK_FALSE(web::make_dbus_gateway_link("nonsense").ok());
}

TEST_CASE("a bus nobody listens on is refused at start-up (S-8)", "[gateway]") {
  testing::TempDir dir;
  const std::string address = "unix:path=" + (dir.path() / "no-bus").string();
  auto link = web::make_dbus_gateway_link(address);
  REQUIRE_FALSE(link.ok());
  CHECK(link.error().message.find("no-bus") != std::string::npos);
}
