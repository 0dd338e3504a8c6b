#include "gateway/contract/gateway1_client.h"

#include <cstring>

#include "gateway/contract/dbus_text.h"

namespace nanbyo::gw::dbus {

Result<Gateway1Client> Gateway1Client::connect(const BusChoice& bus, std::string who_may_call) {
  auto opened = open_bus(bus);
  if (!opened)
    return fail("cannot reach nanbyo-gateway on " + bus.describe() + ": " + opened.error().message);
  return Gateway1Client(bus, std::move(opened).value(), std::move(who_may_call));
}

Error Gateway1Client::explain(const char* method, const BusError& error, int r) const {
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
    const std::string who = " (" + who_may_call_ + ")";
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

Error Gateway1Client::bad_reply(const char* method, int r) const {
  return fail("nanbyo-gateway sent an unexpected reply to " + std::string(method) + ": " +
              std::strerror(-r));
}

Result<Counters> Gateway1Client::statistics() {
  NANBYO_TRY(reply, call(kStatistics, ""));
  sd_bus_message* m = reply.get();
  int r = sd_bus_message_enter_container(m, 'a', kCounterStruct);
  if (r < 0) return bad_reply(kStatistics, r);
  Counters counters;
  for (;;) {
    const char* name = nullptr;
    uint64_t value = 0;
    r = sd_bus_message_read(m, kCounterStruct, &name, &value);
    if (r < 0) return bad_reply(kStatistics, r);
    if (r == 0) break;
    counters.emplace_back(name, value);
  }
  if ((r = sd_bus_message_exit_container(m)) < 0) return bad_reply(kStatistics, r);
  return counters;
}

Result<bool> Gateway1Client::disconnect(uint64_t id) {
  NANBYO_TRY(reply, call(kDisconnect, "t", id));
  int done = 0;
  if (int r = sd_bus_message_read(reply.get(), "b", &done); r < 0) return bad_reply(kDisconnect, r);
  return done != 0;
}

Result<uint32_t> Gateway1Client::revoke(const char* method, const char* what,
                                        const std::string& name) {
  if (dbus_safe(name) != name) return fail(std::string("the ") + what + " is not valid UTF-8 text");
  NANBYO_TRY(reply, call(method, "s", name.c_str()));
  uint32_t closed = 0;
  if (int r = sd_bus_message_read(reply.get(), "u", &closed); r < 0) return bad_reply(method, r);
  return closed;
}

Result<uint32_t> Gateway1Client::revoke_certificate(const std::string& serial) {
  return revoke(kRevokeCertificate, "serial", serial);
}

Result<uint32_t> Gateway1Client::revoke_user(const std::string& user) {
  return revoke(kRevokeUser, "user", user);
}

Result<void> Gateway1Client::reload() {
  NANBYO_TRY_VOID(call(kReload, ""));
  return {};
}

}  // namespace nanbyo::gw::dbus
