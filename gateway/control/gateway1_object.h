// The object /org/nanbyo/Gateway1 with interface org.nanbyo.Gateway1
// (gateway1_api.h): an sd_bus_vtable whose methods unpack the message, check
// the caller (caller.h), call the ControlApi and pack the reply. No C++
// exception crosses into sd-bus: one becomes org.freedesktop.DBus.Error.Failed.
#pragma once

#include <systemd/sd-bus.h>

#include "gateway/contract/sd_bus_handles.h"
#include "gateway/control/caller.h"
#include "gateway/control_api.h"
#include "pki/result.h"

namespace nanbyo::gw::dbus {

class Gateway1Object {
 public:
  Gateway1Object(ControlApi& api, CallerPolicy policy) : api_(api), policy_(std::move(policy)) {}
  Gateway1Object(const Gateway1Object&) = delete;
  Gateway1Object& operator=(const Gateway1Object&) = delete;

  // Exports the object on `bus`; dropping the slot withdraws it. The object
  // must outlive the slot.
  Result<SdSlot> export_on(sd_bus* bus);

  // The vtable's entry points (sd_bus_message_handler_t with `this` as userdata).
  int list_connections(sd_bus_message* m, sd_bus_error* error);
  int statistics(sd_bus_message* m, sd_bus_error* error);
  int disconnect(sd_bus_message* m, sd_bus_error* error);
  int revoke_certificate(sd_bus_message* m, sd_bus_error* error);
  int revoke_user(sd_bus_message* m, sd_bus_error* error);
  int reload(sd_bus_message* m, sd_bus_error* error);
  int list_blocks(sd_bus_message* m, sd_bus_error* error);
  int block(sd_bus_message* m, sd_bus_error* error);
  int lift(sd_bus_message* m, sd_bus_error* error);
  int report_failed_login(sd_bus_message* m, sd_bus_error* error);

 private:
  // Fills `caller`; false (with `error` set) when it may not change anything.
  using Rule = bool (CallerPolicy::*)(const Caller&) const;
  bool authorize_change(sd_bus_message* m, const char* method, Caller& caller, sd_bus_error* error,
                        Rule rule = &CallerPolicy::may_change) const;

  ControlApi& api_;
  const CallerPolicy policy_;
};

}  // namespace nanbyo::gw::dbus
