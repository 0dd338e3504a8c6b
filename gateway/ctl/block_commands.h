// nanbyoctl's commands for the gateway's intrusion prevention (issue 14): list the blocks in
// force, block a terminal (certificate serial) or source address for a while, lift a block.
// Output and errors as in bus_commands.h.
#pragma once

#include <optional>
#include <string>

#include "gateway/contract/bus_choice.h"

namespace nanbyo::ctl {

int list_blocks(const gw::dbus::BusChoice& bus, bool json);
// `kind` is "terminal" or "source"; `duration` like "900", "15m", "2h" or "1d".
int block(const gw::dbus::BusChoice& bus, const std::string& kind, const std::string& value,
          const std::string& duration, const std::string& reason, bool json);
int lift_block(const gw::dbus::BusChoice& bus, const std::string& kind, const std::string& value,
               bool json);

// Seconds of "900", "15m", "2h", "1d" (at most 30 days); nothing for anything else.
std::optional<unsigned> parse_duration(const std::string& text);

}  // namespace nanbyo::ctl
