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

Result<std::vector<BlockEntry>> Gateway1Client::list_blocks() {
  NANBYO_TRY(reply, call(kListBlocks, ""));
  sd_bus_message* m = reply.get();
  int r = sd_bus_message_enter_container(m, 'a', kBlockStruct);
  if (r < 0) return bad_reply(kListBlocks, r);
  std::vector<BlockEntry> blocks;
  for (;;) {
    const char *kind = nullptr, *value = nullptr, *reason = nullptr, *origin = nullptr;
    BlockEntry entry;
    r = sd_bus_message_read(m, kBlockStruct, &kind, &value, &reason, &origin, &entry.since,
                            &entry.seconds_left);
    if (r < 0) return bad_reply(kListBlocks, r);
    if (r == 0) break;
    entry.kind = kind;
    entry.value = value;
    entry.reason = reason;
    entry.origin = origin;
    blocks.push_back(std::move(entry));
  }
  if ((r = sd_bus_message_exit_container(m)) < 0) return bad_reply(kListBlocks, r);
  return blocks;
}

Result<uint32_t> Gateway1Client::block(const std::string& kind, const std::string& value,
                                       uint32_t seconds, const std::string& reason) {
  for (const std::string* text : {&kind, &value, &reason}) {
    if (dbus_safe(*text) != *text) return fail("the block's text is not valid UTF-8");
  }
  NANBYO_TRY(reply, call(kBlock, "ssus", kind.c_str(), value.c_str(), seconds, reason.c_str()));
  uint32_t closed = 0;
  if (int r = sd_bus_message_read(reply.get(), "u", &closed); r < 0) return bad_reply(kBlock, r);
  return closed;
}

Result<bool> Gateway1Client::lift(const std::string& kind, const std::string& value) {
  if (dbus_safe(kind) != kind || dbus_safe(value) != value)
    return fail("the block's text is not valid UTF-8");
  NANBYO_TRY(reply, call(kLift, "ss", kind.c_str(), value.c_str()));
  int lifted = 0;
  if (int r = sd_bus_message_read(reply.get(), "b", &lifted); r < 0) return bad_reply(kLift, r);
  return lifted != 0;
}

Result<bool> Gateway1Client::report_failed_login(const std::string& serial,
                                                 const std::string& source) {
  if (dbus_safe(serial) != serial || dbus_safe(source) != source)
    return fail("the failed login's serial or source is not valid UTF-8");
  NANBYO_TRY(reply, call(kReportFailedLogin, "ss", serial.c_str(), source.c_str()));
  int blocked = 0;
  if (int r = sd_bus_message_read(reply.get(), "b", &blocked); r < 0)
    return bad_reply(kReportFailedLogin, r);
  return blocked != 0;
}

Result<void> Gateway1Client::reload() {
  NANBYO_TRY_VOID(call(kReload, ""));
  return {};
}

}  // namespace nanbyo::gw::dbus
