#include "gateway/ctl/gateway_client.h"

#include <cstring>

#include "gateway/control/dbus_text.h"
#include "gateway/ctl/render.h"

namespace nanbyo::ctl {

using namespace gw::dbus;

Result<GatewayClient> GatewayClient::connect(const BusChoice& bus) {
  auto opened = open_bus(bus);
  if (!opened)
    return fail("cannot reach nanbyo-gateway on " + bus.describe() + ": " + opened.error().message);
  return GatewayClient(bus, std::move(opened).value());
}

Error GatewayClient::explain(const char* method, const BusError& error, int r) const {
  const std::string where = choice_.describe();
  const std::string message = one_line(error.message());
  if (error.has_name(SD_BUS_ERROR_SERVICE_UNKNOWN) ||
      error.has_name(SD_BUS_ERROR_NAME_HAS_NO_OWNER))
    return fail("cannot reach nanbyo-gateway on " + where + ": it is not running (" + kBusName +
                " has no owner)");
  if (error.has_name(SD_BUS_ERROR_NO_REPLY) || error.has_name(SD_BUS_ERROR_TIMEOUT) ||
      (!error.is_set() && r == -ETIMEDOUT))
    return fail("nanbyo-gateway did not answer " + std::string(method) + " in time on " + where);
  if (error.has_name(kErrorReloadRefused)) return fail("reload refused: " + message);
  if (error.has_name(SD_BUS_ERROR_ACCESS_DENIED)) {
    const std::string who = " (nanbyoctl needs root or a member of nanbyo-admin)";
    // dbus-daemon's own refusal is a long dump of the message; say what it means.
    if (message.rfind("Rejected send message", 0) == 0)
      return fail("permission denied: the policy of " + where + " does not let you call " +
                  kBusName + who);
    return fail("permission denied: " + message + who);
  }
  if (error.has_name(SD_BUS_ERROR_UNKNOWN_METHOD) || error.has_name(SD_BUS_ERROR_UNKNOWN_OBJECT) ||
      error.has_name(SD_BUS_ERROR_UNKNOWN_INTERFACE))
    return fail("nanbyo-gateway on " + where + " does not offer " + method +
                " (is it an older version?)");
  if (error.is_set())
    return fail(std::string(method) + " failed: " + message + " (" + error.name() + ")");
  // No D-Bus error: the connection itself failed (refused, authentication, hang-up).
  return fail("cannot reach nanbyo-gateway on " + where + ": " + std::strerror(-r));
}

Error GatewayClient::bad_reply(const char* method, int r) const {
  return fail("nanbyo-gateway sent an unexpected reply to " + std::string(method) + ": " +
              std::strerror(-r));
}

Result<std::vector<gw::ConnectionSummary>> GatewayClient::connections() {
  NANBYO_TRY(reply, call("ListConnections", ""));
  sd_bus_message* m = reply.get();
  int r = sd_bus_message_enter_container(m, 'a', kConnectionStruct);
  if (r < 0) return bad_reply("ListConnections", r);
  std::vector<gw::ConnectionSummary> list;
  for (;;) {
    gw::ConnectionSummary c{};
    const char *peer, *listener, *kind, *serial, *hospital, *terminal, *user, *address;
    r = sd_bus_message_read(m, kConnectionStruct, &c.id, &peer, &listener, &kind, &serial,
                            &hospital, &terminal, &user, &c.bytes_in, &c.bytes_out, &c.requests,
                            &c.age_seconds, &address);
    if (r < 0) return bad_reply("ListConnections", r);
    if (r == 0) break;
    c.peer = peer;
    c.listener = listener;
    c.kind = kind;
    c.serial = serial;
    c.hospital = hospital;
    c.terminal = terminal;
    c.user = user;
    c.address = address;
    list.push_back(std::move(c));
  }
  if ((r = sd_bus_message_exit_container(m)) < 0) return bad_reply("ListConnections", r);
  return list;
}

Result<Counters> GatewayClient::statistics() {
  NANBYO_TRY(reply, call("Statistics", ""));
  sd_bus_message* m = reply.get();
  int r = sd_bus_message_enter_container(m, 'a', kCounterStruct);
  if (r < 0) return bad_reply("Statistics", r);
  Counters counters;
  for (;;) {
    const char* name = nullptr;
    uint64_t value = 0;
    r = sd_bus_message_read(m, kCounterStruct, &name, &value);
    if (r < 0) return bad_reply("Statistics", r);
    if (r == 0) break;
    counters.emplace_back(name, value);
  }
  if ((r = sd_bus_message_exit_container(m)) < 0) return bad_reply("Statistics", r);
  return counters;
}

Result<bool> GatewayClient::disconnect(uint64_t id) {
  NANBYO_TRY(reply, call("Disconnect", "t", id));
  int done = 0;
  if (int r = sd_bus_message_read(reply.get(), "b", &done); r < 0)
    return bad_reply("Disconnect", r);
  return done != 0;
}

Result<uint32_t> GatewayClient::revoke_certificate(const std::string& serial) {
  if (dbus_safe(serial) != serial) return fail("the serial is not valid UTF-8 text");
  NANBYO_TRY(reply, call("RevokeCertificate", "s", serial.c_str()));
  uint32_t closed = 0;
  if (int r = sd_bus_message_read(reply.get(), "u", &closed); r < 0)
    return bad_reply("RevokeCertificate", r);
  return closed;
}

Result<uint32_t> GatewayClient::revoke_user(const std::string& user) {
  if (dbus_safe(user) != user) return fail("the user is not valid UTF-8 text");
  NANBYO_TRY(reply, call("RevokeUser", "s", user.c_str()));
  uint32_t closed = 0;
  if (int r = sd_bus_message_read(reply.get(), "u", &closed); r < 0)
    return bad_reply("RevokeUser", r);
  return closed;
}

Result<void> GatewayClient::reload() {
  NANBYO_TRY_VOID(call("Reload", ""));
  return {};
}

}  // namespace nanbyo::ctl
