// How nanbyoctl shows data: aligned tables for people, JSON for scripts.
// Text from the gateway (a user name seen on a connection, a certificate's
// terminal name) is not trusted: tables show control characters as '?', so a
// crafted name cannot drive the operator's terminal; JSON escapes them.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "gateway/connection_registry.h"
#include "gateway/contract/dbus_text.h"
#include "gateway/contract/gateway1_client.h"

namespace nanbyo::ctl {

// "42s", "3m12s", "2h05m", "3d04h"; negative or not a number shows as "0s".
std::string human_age(double seconds);

using gw::dbus::Counters;  // gateway/contract/gateway1_client.h
using gw::dbus::one_line;  // gateway/contract/dbus_text.h

struct Column {
  std::string title;
  bool right_aligned = false;  // numbers
};
// Columns two spaces apart, padded to the widest cell (East Asian wide
// characters count two), no trailing spaces. Empty cells show "-".
std::string render_table(const std::vector<Column>& columns,
                         const std::vector<std::vector<std::string>>& rows);

std::string connections_table(const std::vector<gw::ConnectionSummary>& connections);
nlohmann::ordered_json connections_json(const std::vector<gw::ConnectionSummary>& connections);

std::string statistics_table(const Counters& counters);
nlohmann::ordered_json statistics_json(const Counters& counters);

}  // namespace nanbyo::ctl
