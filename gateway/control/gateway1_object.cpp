#include "gateway/control/gateway1_object.h"

#include <cstdint>
#include <cstring>
#include <exception>
#include <iostream>
#include <limits>

#include "gateway/contract/dbus_text.h"
#include "gateway/contract/gateway1_api.h"

namespace nanbyo::gw::dbus {

namespace {

using Handler = int (Gateway1Object::*)(sd_bus_message*, sd_bus_error*);

// The C entry point of every method: no exception may unwind through sd-bus.
template <Handler method>
int entry(sd_bus_message* m, void* userdata, sd_bus_error* error) noexcept {
  const char* member = sd_bus_message_get_member(m);
  try {
    return (static_cast<Gateway1Object*>(userdata)->*method)(m, error);
  } catch (const std::exception& e) {
    std::cerr << "nanbyo-gateway: control method " << (member ? member : "?")
              << " failed: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "nanbyo-gateway: control method " << (member ? member : "?") << " failed\n";
  }
  return sd_bus_error_set(error, SD_BUS_ERROR_FAILED,
                          "internal error in nanbyo-gateway (see its log)");
}

// All methods are UNPRIVILEGED for sd-bus's own capability check: the bus
// policy file and CallerPolicy decide instead, and that is documented.
constexpr uint64_t kOpen = SD_BUS_VTABLE_UNPRIVILEGED;

const sd_bus_vtable kVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD_WITH_NAMES(kListConnections, "", "", kConnectionArray, SD_BUS_PARAM(connections),
                             entry<&Gateway1Object::list_connections>, kOpen),
    SD_BUS_METHOD_WITH_NAMES(kStatistics, "", "", kCounterArray, SD_BUS_PARAM(counters),
                             entry<&Gateway1Object::statistics>, kOpen),
    SD_BUS_METHOD_WITH_NAMES(kDisconnect, "t", SD_BUS_PARAM(id), "b", SD_BUS_PARAM(disconnected),
                             entry<&Gateway1Object::disconnect>, kOpen),
    SD_BUS_METHOD_WITH_NAMES(kRevokeCertificate, "s", SD_BUS_PARAM(serial), "u",
                             SD_BUS_PARAM(closed), entry<&Gateway1Object::revoke_certificate>,
                             kOpen),
    SD_BUS_METHOD_WITH_NAMES(kRevokeUser, "s", SD_BUS_PARAM(user), "u", SD_BUS_PARAM(closed),
                             entry<&Gateway1Object::revoke_user>, kOpen),
    SD_BUS_METHOD_WITH_NAMES(kReload, "", "", "", "", entry<&Gateway1Object::reload>, kOpen),
    SD_BUS_METHOD_WITH_NAMES(kListBlocks, "", "", kBlockArray, SD_BUS_PARAM(blocks),
                             entry<&Gateway1Object::list_blocks>, kOpen),
    SD_BUS_METHOD_WITH_NAMES(kBlock, "ssus",
                             SD_BUS_PARAM(kind) SD_BUS_PARAM(value) SD_BUS_PARAM(seconds)
                                 SD_BUS_PARAM(reason),
                             "u", SD_BUS_PARAM(closed), entry<&Gateway1Object::block>, kOpen),
    SD_BUS_METHOD_WITH_NAMES(kLift, "ss", SD_BUS_PARAM(kind) SD_BUS_PARAM(value), "b",
                             SD_BUS_PARAM(lifted), entry<&Gateway1Object::lift>, kOpen),
    SD_BUS_METHOD_WITH_NAMES(kReportFailedLogin, "ss", SD_BUS_PARAM(serial) SD_BUS_PARAM(source),
                             "b", SD_BUS_PARAM(blocked),
                             entry<&Gateway1Object::report_failed_login>, kOpen),
    SD_BUS_VTABLE_END,
};

uint32_t clamp_u32(std::size_t n) {
  return static_cast<uint32_t>(std::min<std::size_t>(n, std::numeric_limits<uint32_t>::max()));
}

// Reads one non-empty string argument; negative (InvalidArgs for an empty one) otherwise.
int read_name(sd_bus_message* m, const char* what, std::string& out, sd_bus_error* error) {
  const char* text = nullptr;
  int r = sd_bus_message_read(m, "s", &text);
  if (r < 0) return r;
  if (!text || !*text)
    return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "%s is empty", what);
  out = text;
  return 1;
}

// Reads the kind and value of a block's subject; negative (InvalidArgs) for a kind that is
// neither terminal nor source, or an empty value.
int read_subject(sd_bus_message* m, ips::Subject& out, sd_bus_error* error) {
  const char* kind = nullptr;
  const char* value = nullptr;
  int r = sd_bus_message_read(m, "ss", &kind, &value);
  if (r < 0) return r;
  auto parsed = ips::subject_kind_from(kind ? kind : "");
  if (!parsed)
    return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                             "the kind must be terminal or source, not \"%s\"",
                             dbus_safe(kind ? kind : "").c_str());
  if (!value || !*value)
    return sd_bus_error_set(error, SD_BUS_ERROR_INVALID_ARGS, "the value is empty");
  out = {*parsed, value};
  return 1;
}

}  // namespace

Result<SdSlot> Gateway1Object::export_on(sd_bus* bus) {
  sd_bus_slot* slot = nullptr;
  int r = sd_bus_add_object_vtable(bus, &slot, kObjectPath, kInterface, kVtable, this);
  if (r < 0) return fail(std::string("cannot export ") + kObjectPath + ": " + std::strerror(-r));
  return SdSlot(slot);
}

bool Gateway1Object::authorize_change(sd_bus_message* m, const char* method, Caller& caller,
                                      sd_bus_error* error, Rule rule) const {
  caller = identify_caller(m);
  if ((policy_.*rule)(caller)) return true;
  if (!caller.euid) {
    sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                      "%s refused: the bus did not tell the caller's uid", method);
  } else {
    sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                      "%s refused: uid %u is not root, the gateway's uid or an allowed operator",
                      method, static_cast<unsigned>(*caller.euid));
  }
  return false;
}

int Gateway1Object::list_connections(sd_bus_message* m, sd_bus_error*) {
  sd_bus_message* raw = nullptr;
  int r = sd_bus_message_new_method_return(m, &raw);
  if (r < 0) return r;
  SdMessage reply(raw);
  if ((r = sd_bus_message_open_container(reply.get(), 'a', kConnectionStruct)) < 0) return r;
  for (const ConnectionSummary& c : api_.connections()) {
    r = sd_bus_message_append(reply.get(), kConnectionStruct, c.id, dbus_safe(c.peer).c_str(),
                              dbus_safe(c.listener).c_str(), dbus_safe(c.kind).c_str(),
                              dbus_safe(c.serial).c_str(), dbus_safe(c.hospital).c_str(),
                              dbus_safe(c.terminal).c_str(), dbus_safe(c.user).c_str(), c.bytes_in,
                              c.bytes_out, c.requests, c.age_seconds, dbus_safe(c.address).c_str());
    if (r < 0) return r;
  }
  if ((r = sd_bus_message_close_container(reply.get())) < 0) return r;
  return sd_bus_send(nullptr, reply.get(), nullptr);
}

int Gateway1Object::statistics(sd_bus_message* m, sd_bus_error*) {
  sd_bus_message* raw = nullptr;
  int r = sd_bus_message_new_method_return(m, &raw);
  if (r < 0) return r;
  SdMessage reply(raw);
  if ((r = sd_bus_message_open_container(reply.get(), 'a', kCounterStruct)) < 0) return r;
  for (const auto& [name, value] : api_.statistics()) {
    r = sd_bus_message_append(reply.get(), kCounterStruct, dbus_safe(name).c_str(), value);
    if (r < 0) return r;
  }
  if ((r = sd_bus_message_close_container(reply.get())) < 0) return r;
  return sd_bus_send(nullptr, reply.get(), nullptr);
}

int Gateway1Object::disconnect(sd_bus_message* m, sd_bus_error* error) {
  uint64_t id = 0;
  int r = sd_bus_message_read(m, "t", &id);
  if (r < 0) return r;
  Caller caller;
  if (!authorize_change(m, kDisconnect, caller, error)) return -EACCES;
  const bool done = api_.disconnect(id, caller.describe());
  return sd_bus_reply_method_return(m, "b", static_cast<int>(done));
}

int Gateway1Object::revoke_certificate(sd_bus_message* m, sd_bus_error* error) {
  std::string serial;
  if (int r = read_name(m, "the certificate serial", serial, error); r < 0) return r;
  Caller caller;
  if (!authorize_change(m, kRevokeCertificate, caller, error)) return -EACCES;
  RevocationEvent event = api_.revoke_certificate(serial, caller.describe());
  return sd_bus_reply_method_return(m, "u", clamp_u32(event.closed));
}

int Gateway1Object::revoke_user(sd_bus_message* m, sd_bus_error* error) {
  std::string user;
  if (int r = read_name(m, "the user", user, error); r < 0) return r;
  Caller caller;
  if (!authorize_change(m, kRevokeUser, caller, error, &CallerPolicy::may_revoke_user)) {
    return -EACCES;
  }
  RevocationEvent event = api_.revoke_user(user, caller.describe());
  return sd_bus_reply_method_return(m, "u", clamp_u32(event.closed));
}

int Gateway1Object::reload(sd_bus_message* m, sd_bus_error* error) {
  Caller caller;
  if (!authorize_change(m, kReload, caller, error)) return -EACCES;
  Result<void> reloaded = api_.reload(caller.describe());
  if (!reloaded)
    return sd_bus_error_set(error, kErrorReloadRefused, reloaded.error().message.c_str());
  return sd_bus_reply_method_return(m, "");
}

int Gateway1Object::list_blocks(sd_bus_message* m, sd_bus_error*) {
  sd_bus_message* raw = nullptr;
  int r = sd_bus_message_new_method_return(m, &raw);
  if (r < 0) return r;
  SdMessage reply(raw);
  if ((r = sd_bus_message_open_container(reply.get(), 'a', kBlockStruct)) < 0) return r;
  const auto now = ips::Clock::now();
  for (const ips::Block& b : api_.blocks()) {
    const int64_t since =
        std::chrono::duration_cast<std::chrono::seconds>(b.since.time_since_epoch()).count();
    const uint64_t left = static_cast<uint64_t>(ips::seconds_left(b, now));
    r = sd_bus_message_append(reply.get(), kBlockStruct,
                              std::string(ips::to_string(b.subject.kind)).c_str(),
                              dbus_safe(b.subject.value).c_str(), dbus_safe(b.reason).c_str(),
                              dbus_safe(b.origin).c_str(), since, left);
    if (r < 0) return r;
  }
  if ((r = sd_bus_message_close_container(reply.get())) < 0) return r;
  return sd_bus_send(nullptr, reply.get(), nullptr);
}

int Gateway1Object::block(sd_bus_message* m, sd_bus_error* error) {
  ips::Subject subject;
  if (int r = read_subject(m, subject, error); r < 0) return r;
  uint32_t seconds = 0;
  const char* reason = nullptr;
  if (int r = sd_bus_message_read(m, "us", &seconds, &reason); r < 0) return r;
  Caller caller;
  if (!authorize_change(m, kBlock, caller, error)) return -EACCES;
  auto closed =
      api_.block(subject, std::chrono::seconds(seconds), reason ? reason : "", caller.describe());
  if (!closed)
    return sd_bus_error_set(error, SD_BUS_ERROR_INVALID_ARGS, closed.error().message.c_str());
  return sd_bus_reply_method_return(m, "u", clamp_u32(*closed));
}

int Gateway1Object::lift(sd_bus_message* m, sd_bus_error* error) {
  ips::Subject subject;
  if (int r = read_subject(m, subject, error); r < 0) return r;
  Caller caller;
  if (!authorize_change(m, kLift, caller, error)) return -EACCES;
  auto lifted = api_.lift(subject, caller.describe());
  if (!lifted)
    return sd_bus_error_set(error, SD_BUS_ERROR_INVALID_ARGS, lifted.error().message.c_str());
  return sd_bus_reply_method_return(m, "b", static_cast<int>(*lifted));
}

int Gateway1Object::report_failed_login(sd_bus_message* m, sd_bus_error* error) {
  const char* serial = nullptr;
  const char* source = nullptr;
  if (int r = sd_bus_message_read(m, "ss", &serial, &source); r < 0) return r;
  Caller caller;
  if (!authorize_change(m, kReportFailedLogin, caller, error, &CallerPolicy::may_revoke_user)) {
    return -EACCES;
  }
  const bool blocked =
      api_.report_failed_login(serial ? serial : "", source ? source : "", caller.describe());
  return sd_bus_reply_method_return(m, "b", static_cast<int>(blocked));
}

}  // namespace nanbyo::gw::dbus
