// Which message bus the control service and its clients use: the system bus
// in production, the session bus or an explicit address (a private
// dbus-daemon) in development and tests.
#pragma once

#include <string>
#include <string_view>

#include "gateway/contract/sd_bus_handles.h"
#include "pki/result.h"

namespace nanbyo::gw::dbus {

struct BusChoice {
  enum class Kind { System, Session, Address };
  Kind kind = Kind::System;
  std::string address;  // only for Kind::Address, e.g. "unix:path=/run/x/bus"

  static BusChoice system() { return {Kind::System, {}}; }
  static BusChoice session() { return {Kind::Session, {}}; }
  static BusChoice at(std::string address) { return {Kind::Address, std::move(address)}; }

  // "system", "session", or a D-Bus address (anything with a ':' in it).
  static Result<BusChoice> parse(std::string_view text);

  // For messages: "the system bus", "the session bus", "the bus at unix:path=/x".
  std::string describe() const;
};

// Connects to the bus (the Hello follows with the first call). The error is
// only the reason, e.g. "No such file or directory": callers say what failed.
Result<SdBus> open_bus(const BusChoice& choice);

}  // namespace nanbyo::gw::dbus
