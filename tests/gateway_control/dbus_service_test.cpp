// DbusControlService as any D-Bus client sees it (sd-bus calls), and who may
// change anything: root and the gateway's uid always, others only when
// allow-listed; everybody the bus admits may read.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

#include <unistd.h>

#include "gateway/contract/gateway1_api.h"
#include "gateway/control/caller.h"
#include "gateway/control/caller_accounts.h"
#include "service_fixture.h"

using namespace nanbyo;
using namespace nanbyo::testing;
using namespace nanbyo::gw::dbus;

namespace {

constexpr uid_t kNobody = 65534;

struct Client {
  SdBus bus;
  explicit Client(const std::string& address) {
    auto opened = open_bus(BusChoice::at(address));
    REQUIRE(opened.ok());
    bus = std::move(opened).value();
  }
  // The reply, or null with `error` set.
  template <typename... Args>
  SdMessage call(BusError& error, const char* method, const char* types, Args... args) {
    sd_bus_message* reply = nullptr;
    sd_bus_call_method(bus.get(), kBusName, kObjectPath, kInterface, method, error.get(), &reply,
                       types, args...);
    return SdMessage(reply);
  }
};

}  // namespace

TEST_CASE_METHOD(ServiceFixture, "ListConnections answers a(tssssssstttds), one struct each",
                 "[dbus]") {
  NANBYO_REQUIRE_BUS(*this);
  Client client(bus->address());
  BusError error;
  auto reply = client.call(error, "ListConnections", "");
  REQUIRE(reply);
  CHECK(std::string(sd_bus_message_get_signature(reply.get(), 1)) == "a(tssssssstttds)");
  REQUIRE(sd_bus_message_enter_container(reply.get(), 'a', kConnectionStruct) > 0);
  uint64_t id, in, out, requests;
  const char *peer, *listener, *kind, *serial, *hospital, *terminal, *user, *address;
  double age;
  REQUIRE(sd_bus_message_read(reply.get(), kConnectionStruct, &id, &peer, &listener, &kind, &serial,
                              &hospital, &terminal, &user, &in, &out, &requests, &age,
                              &address) > 0);
  CHECK(id == 7);
  CHECK(std::string(serial) == "0A1B2C3D");
  CHECK(std::string(terminal) == "uketsuke-01");
  CHECK(requests == 12);
  CHECK(age == 192.5);
}

TEST_CASE_METHOD(ServiceFixture, "text that is not UTF-8 is sent with '?' instead of failing",
                 "[dbus]") {
  NANBYO_REQUIRE_BUS(*this);
  api.set_connections({{1, "192.0.2.1:1", "public", "https", "AA", "1310000001", "pc",
                        "bad\xff\xfe"
                        "name\x01",
                        0, 0, 0, 1.0, ""}});
  auto result = ctl({"connections", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(nlohmann::json::parse(result.out)[0]["user"] == "bad??name\x01");
  // The table does not pass control characters to the operator's terminal.
  CHECK(ctl({"connections"}).out.find("bad??name?") != std::string::npos);
}

TEST_CASE_METHOD(ServiceFixture, "Statistics answers a(st) in the gateway's order", "[dbus]") {
  NANBYO_REQUIRE_BUS(*this);
  Client client(bus->address());
  BusError error;
  auto reply = client.call(error, "Statistics", "");
  REQUIRE(reply);
  CHECK(std::string(sd_bus_message_get_signature(reply.get(), 1)) == "a(st)");
}

TEST_CASE_METHOD(ServiceFixture, "an empty serial or user is InvalidArgs and reaches nobody",
                 "[dbus]") {
  NANBYO_REQUIRE_BUS(*this);
  Client client(bus->address());
  BusError serial_error, user_error;
  CHECK_FALSE(client.call(serial_error, "RevokeCertificate", "s", ""));
  CHECK(serial_error.has_name(SD_BUS_ERROR_INVALID_ARGS));
  CHECK(serial_error.message() == "the certificate serial is empty");
  CHECK_FALSE(client.call(user_error, "RevokeUser", "s", ""));
  CHECK(user_error.has_name(SD_BUS_ERROR_INVALID_ARGS));
  CHECK(api.calls().empty());
}

TEST_CASE_METHOD(ServiceFixture, "a refused reload is the error ReloadRefused with the reason",
                 "[dbus]") {
  NANBYO_REQUIRE_BUS(*this);
  api.refuse_reload("policy gateway.yaml:1:1: not a mapping");
  Client client(bus->address());
  BusError error;
  CHECK_FALSE(client.call(error, "Reload", ""));
  CHECK(error.name() == kErrorReloadRefused);
  CHECK(error.message() == "policy gateway.yaml:1:1: not a mapping");
}

TEST_CASE_METHOD(ServiceFixture, "a second gateway cannot take the name", "[dbus]") {
  NANBYO_REQUIRE_BUS(*this);
  FakeControlApi other_api;
  gw::asio::io_context other_io;
  DbusControlService::Options options;
  options.bus = BusChoice::at(bus->address());
  auto second = DbusControlService::start(other_api, other_io, options);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().message == "org.nanbyo.Gateway1 is already owned on the bus at " +
                                      bus->address() + " (is another nanbyo-gateway running?)");
}

TEST_CASE_METHOD(ServiceFixture, "a caller who is not root may read but not change anything",
                 "[dbus][access]") {
  NANBYO_REQUIRE_BUS(*this);
  if (geteuid() != 0) {
    WARN("SKIPPED: calling as another uid needs the tests to run as root");
    return;
  }
  CHECK(ctl({"connections"}, kNobody).exit_code == 0);
  CHECK(ctl({"stats"}, kNobody).exit_code == 0);
  auto refused = ctl({"revoke-cert", "0A1B2C3D"}, kNobody);
  CHECK(refused.exit_code == 1);
  CHECK(refused.err ==
        "nanbyoctl: error: permission denied: RevokeCertificate refused: uid 65534 is not root, "
        "the gateway's uid or an allowed operator (nanbyoctl needs root or a member of "
        "nanbyo-admin)\n");
  CHECK(ctl({"disconnect", "7"}, kNobody).exit_code == 1);
  CHECK(ctl({"revoke-user", "doctor-042"}, kNobody).exit_code == 1);
  CHECK(ctl({"reload"}, kNobody).exit_code == 1);
  CHECK(api.calls().empty());
}

struct AllowNobody : ServiceFixture {
  AllowNobody() : ServiceFixture({kNobody}) {}
};

TEST_CASE_METHOD(AllowNobody, "an allow-listed uid may change things, and is named",
                 "[dbus][access]") {
  NANBYO_REQUIRE_BUS(*this);
  if (geteuid() != 0) {
    WARN("SKIPPED: calling as another uid needs the tests to run as root");
    return;
  }
  auto result = ctl({"revoke-user", "doctor-042"}, kNobody);
  CHECK(result.exit_code == 0);
  REQUIRE(api.calls().size() == 1);
  CHECK(api.calls()[0].requested_by.find("uid=65534") != std::string::npos);
}

// The system bus policy file itself, included into the private bus.
struct SystemBusPolicy : ServiceFixture {
  SystemBusPolicy() : ServiceFixture({kNobody}, NANBYO_DBUS_POLICY) {}
};

TEST_CASE_METHOD(SystemBusPolicy, "the bus policy admits root and keeps others out entirely",
                 "[dbus][access]") {
  NANBYO_REQUIRE_BUS(*this);
  if (geteuid() != 0) {
    WARN("SKIPPED: calling as another uid needs the tests to run as root");
    return;
  }
  CHECK(ctl({"stats"}).exit_code == 0);
  // Even a uid the service would allow never gets past the bus.
  auto refused = ctl({"connections"}, kNobody);
  CHECK(refused.exit_code == 1);
  CHECK(refused.err == "nanbyoctl: error: permission denied: the policy of the bus at " +
                           bus->address() +
                           " does not let you call org.nanbyo.Gateway1 (nanbyoctl needs root or a "
                           "member of nanbyo-admin)\n");
  CHECK(ctl({"revoke-user", "doctor-042"}, kNobody).exit_code == 1);
  CHECK(api.calls().empty());
}

TEST_CASE("CallerPolicy: root, the gateway's own uid and the allow-list may change things",
          "[dbus][access]") {
  CallerPolicy policy(/*own_uid=*/998, /*allowed_uids=*/{1001});
  auto as = [](std::optional<uid_t> uid) { return Caller{":1.9", uid}; };
  CHECK(policy.may_change(as(0)));
  CHECK(policy.may_change(as(998)));
  CHECK(policy.may_change(as(1001)));
  CHECK_FALSE(policy.may_change(as(1000)));
  CHECK_FALSE(policy.may_change(as(std::nullopt)));  // the bus did not say: refuse
  CHECK(as(1000).describe() == "dbus :1.9 uid=1000");
}

TEST_CASE("CallerPolicy: the application core's uid may revoke users and nothing else (issue 13)",
          "[dbus][access]") {
  CallerPolicy policy(/*own_uid=*/998, /*allowed_uids=*/{1001}, /*revoke_user_uids=*/{997});
  auto as = [](std::optional<uid_t> uid) { return Caller{":1.9", uid}; };
  CHECK(policy.may_revoke_user(as(997)));
  CHECK_FALSE(policy.may_change(as(997)));
  CHECK(policy.may_revoke_user(as(0)));
  CHECK(policy.may_revoke_user(as(1001)));
  CHECK_FALSE(policy.may_revoke_user(as(1000)));
  CHECK_FALSE(policy.may_revoke_user(as(std::nullopt)));
}

TEST_CASE("control accounts: names become uids, a group includes its primary members",
          "[dbus][access]") {
  auto users = uids_of_users({"root", "nobody"});
  REQUIRE(users);
  CHECK(users.value() == std::vector<uid_t>{0, 65534});
  auto unknown = uids_of_users({"no-such-user-nanbyo"});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message == "no such user: no-such-user-nanbyo");
  auto root_group = uids_in_group("root");  // root's primary group, no listed members
  REQUIRE(root_group);
  CHECK(std::find(root_group->begin(), root_group->end(), 0) != root_group->end());
  CHECK_FALSE(uids_in_group("no-such-group-nanbyo"));
}

TEST_CASE_METHOD(BusOnly, "when the bus goes away the service reports it once and stops",
                 "[dbus]") {
  NANBYO_REQUIRE_BUS(*this);
  FakeControlApi api;
  gw::asio::io_context io;
  std::vector<std::string> failures;
  DbusControlService::Options options;
  options.bus = BusChoice::at(bus->address());
  options.on_failure = [&](const std::string& message) {
    failures.push_back(message);
    io.stop();
  };
  auto service = DbusControlService::start(api, io, options);
  REQUIRE(service.ok());
  bus.reset();  // stops our dbus-daemon
  io.run_for(std::chrono::seconds(10));
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].rfind("processing the bus connection: ", 0) == 0);
}

TEST_CASE_METHOD(ServiceFixture, "introspection names every method's arguments", "[dbus]") {
  NANBYO_REQUIRE_BUS(*this);
  Client client(bus->address());
  BusError error;
  sd_bus_message* raw = nullptr;
  REQUIRE(sd_bus_call_method(client.bus.get(), kBusName, kObjectPath,
                             "org.freedesktop.DBus.Introspectable", "Introspect", error.get(), &raw,
                             "") >= 0);
  SdMessage reply(raw);
  const char* xml = nullptr;
  REQUIRE(sd_bus_message_read(reply.get(), "s", &xml) > 0);
  const std::string text = xml;
  CHECK_THAT(text, Catch::Contains(R"x(<interface name="org.nanbyo.Gateway1">)x"));
  CHECK_THAT(text, Catch::Contains(
                       R"x(<arg type="a(tssssssstttds)" name="connections" direction="out"/>)x"));
  CHECK_THAT(text, Catch::Contains(R"x(<arg type="t" name="id" direction="in"/>)x"));
  CHECK_THAT(text, Catch::Contains(R"x(<arg type="s" name="serial" direction="in"/>)x"));
  CHECK_THAT(text, Catch::Contains(R"x(<arg type="s" name="user" direction="in"/>)x"));
  CHECK_THAT(text, Catch::Contains(R"x(<method name="Reload">)x"));
  CHECK_THAT(text, Catch::Contains(R"x(<arg type="a(ssssxt)" name="blocks" direction="out"/>)x"));
  CHECK_THAT(text, Catch::Contains(R"x(<arg type="u" name="seconds" direction="in"/>)x"));
  CHECK_THAT(text, Catch::Contains(R"x(<arg type="b" name="blocked" direction="out"/>)x"));
}

TEST_CASE_METHOD(ServiceFixture, "ReportFailedLogin reaches the IPS; Block refuses an unknown kind",
                 "[dbus]") {
  NANBYO_REQUIRE_BUS(*this);
  Client client(bus->address());
  BusError error;
  SdMessage reply = client.call(error, "ReportFailedLogin", "ss", "0A1B2C3D", "192.0.2.10");
  REQUIRE(reply);
  int blocked = 0;
  REQUIRE(sd_bus_message_read(reply.get(), "b", &blocked) > 0);
  CHECK(blocked == 1);
  REQUIRE(api.calls().size() == 1);
  CHECK(api.calls()[0].argument == "0A1B2C3D 192.0.2.10");

  BusError refused;
  CHECK_FALSE(client.call(refused, "Block", "ssus", "user", "doctor-042", 60u, "x"));
  CHECK(refused.has_name(SD_BUS_ERROR_INVALID_ARGS));
  CHECK(std::string(refused.message()) == "the kind must be terminal or source, not \"user\"");
  CHECK(api.calls().size() == 1);
}

TEST_CASE_METHOD(ServiceFixture, "a burst of pipelined calls is answered in full", "[dbus]") {
  NANBYO_REQUIRE_BUS(*this);
  // Many calls arrive in one read: the pump must process them all before it
  // waits on the fd again (the reactor only reports new data). 100, because
  // dbus-daemon allows 128 pending replies per connection by default.
  Client client(bus->address());
  constexpr int kCalls = 100;
  int answered = 0;
  auto count = [](sd_bus_message* m, void* userdata, sd_bus_error*) -> int {
    if (!sd_bus_message_is_method_error(m, nullptr)) ++*static_cast<int*>(userdata);
    return 0;
  };
  for (int i = 0; i < kCalls; ++i) {
    REQUIRE(sd_bus_call_method_async(client.bus.get(), nullptr, kBusName, kObjectPath, kInterface,
                                     i % 2 ? "Statistics" : "ListConnections", count, &answered,
                                     "") >= 0);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (answered < kCalls && std::chrono::steady_clock::now() < deadline) {
    int r = sd_bus_process(client.bus.get(), nullptr);
    if (r < 0) FAIL("sd_bus_process: " << std::strerror(-r));
    if (r == 0) sd_bus_wait(client.bus.get(), 100'000);
  }
  CHECK(answered == kCalls);
}
