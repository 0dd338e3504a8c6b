// nanbyoctl's commands that talk to a running gateway. Each prints its result
// (a table, a sentence, or JSON with `json`) on stdout and returns the exit
// status; a failure is one line "nanbyoctl: error: ..." on stderr and 1.
#pragma once

#include <cstdint>
#include <string>

#include "gateway/contract/bus_choice.h"
#include "gateway/contract/gateway1_client.h"

namespace nanbyo::ctl {

int list_connections(const gw::dbus::BusChoice& bus, bool json);
int show_statistics(const gw::dbus::BusChoice& bus, bool json);
int disconnect(const gw::dbus::BusChoice& bus, uint64_t id, bool json);
// `serial` may be lower-case or colon-separated; the gateway gets upper-case hex.
int revoke_certificate(const gw::dbus::BusChoice& bus, const std::string& serial, bool json);
int revoke_user(const gw::dbus::BusChoice& bus, const std::string& user, bool json);
int reload(const gw::dbus::BusChoice& bus);

// The gateway's control bus, with the refusal that names who may call.
Result<gw::dbus::Gateway1Client> connect(const gw::dbus::BusChoice& bus);

// The one error line and exit status 1, for every command.
int report_error(const std::string& message);

}  // namespace nanbyo::ctl
