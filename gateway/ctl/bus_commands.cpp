#include "gateway/ctl/bus_commands.h"

#include <cctype>
#include <iostream>
#include <optional>

#include "gateway/contract/gateway1_client.h"
#include "gateway/ctl/render.h"

namespace nanbyo::ctl {

using gw::dbus::BusChoice;
using gw::dbus::Gateway1Client;

int report_error(const std::string& message) {
  std::cerr << "nanbyoctl: error: " << one_line(message) << "\n";
  return 1;
}

Result<Gateway1Client> connect(const BusChoice& bus) {
  return Gateway1Client::connect(bus, "nanbyoctl needs root or a member of nanbyo-admin");
}

namespace {

// Serials are upper-case hex in the PKI and the gateway; operators may paste
// them lower-case or colon-separated, as `openssl x509 -text` shows them.
std::optional<std::string> canonical_serial(const std::string& text) {
  std::string serial;
  for (char c : text) {
    if (c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    serial += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (serial.empty()) return std::nullopt;
  return serial;
}

// ListConnections, read here: its rows are the gateway's ConnectionSummary.
Result<std::vector<gw::ConnectionSummary>> read_connections(Gateway1Client& client) {
  NANBYO_TRY(reply, client.call(gw::dbus::kListConnections, ""));
  sd_bus_message* m = reply.get();
  int r = sd_bus_message_enter_container(m, 'a', gw::dbus::kConnectionStruct);
  if (r < 0) return client.bad_reply(gw::dbus::kListConnections, r);
  std::vector<gw::ConnectionSummary> list;
  for (;;) {
    gw::ConnectionSummary c{};
    const char *peer, *listener, *kind, *serial, *hospital, *terminal, *user, *address;
    r = sd_bus_message_read(m, gw::dbus::kConnectionStruct, &c.id, &peer, &listener, &kind, &serial,
                            &hospital, &terminal, &user, &c.bytes_in, &c.bytes_out, &c.requests,
                            &c.age_seconds, &address);
    if (r < 0) return client.bad_reply(gw::dbus::kListConnections, r);
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
  if ((r = sd_bus_message_exit_container(m)) < 0)
    return client.bad_reply(gw::dbus::kListConnections, r);
  return list;
}

std::string connections_phrase(uint32_t closed) {
  return "closed " + std::to_string(closed) + (closed == 1 ? " connection" : " connections");
}

}  // namespace

int list_connections(const BusChoice& bus, bool json) {
  auto client = connect(bus);
  if (!client) return report_error(client.error().message);
  auto connections = read_connections(*client);
  if (!connections) return report_error(connections.error().message);
  if (json)
    std::cout << connections_json(*connections).dump(2) << "\n";
  else if (connections->empty())
    std::cout << "no open connections\n";
  else
    std::cout << connections_table(*connections);
  return 0;
}

int show_statistics(const BusChoice& bus, bool json) {
  auto client = connect(bus);
  if (!client) return report_error(client.error().message);
  auto counters = client->statistics();
  if (!counters) return report_error(counters.error().message);
  if (json)
    std::cout << statistics_json(*counters).dump(2) << "\n";
  else
    std::cout << statistics_table(*counters);
  return 0;
}

int disconnect(const BusChoice& bus, uint64_t id, bool json) {
  auto client = connect(bus);
  if (!client) return report_error(client.error().message);
  auto done = client->disconnect(id);
  if (!done) return report_error(done.error().message);
  if (!*done) return report_error("no open connection with id " + std::to_string(id));
  if (json)
    std::cout << nlohmann::ordered_json{{"id", id}, {"disconnected", true}}.dump(2) << "\n";
  else
    std::cout << "disconnected connection " << id << "\n";
  return 0;
}

int revoke_certificate(const BusChoice& bus, const std::string& text, bool json) {
  const auto serial = canonical_serial(text);
  if (!serial)
    return report_error("a serial is hexadecimal (e.g. 4A1B2C or 4a:1b:2c), not '" + text + "'");
  auto client = connect(bus);
  if (!client) return report_error(client.error().message);
  auto closed = client->revoke_certificate(*serial);
  if (!closed) return report_error(closed.error().message);
  if (json)
    std::cout << nlohmann::ordered_json{{"serial", *serial}, {"closed", *closed}}.dump(2) << "\n";
  else
    std::cout << "revoked certificate " << *serial << ": " << connections_phrase(*closed) << "\n";
  return 0;
}

int revoke_user(const BusChoice& bus, const std::string& user, bool json) {
  auto client = connect(bus);
  if (!client) return report_error(client.error().message);
  auto closed = client->revoke_user(user);
  if (!closed) return report_error(closed.error().message);
  if (json)
    std::cout << nlohmann::ordered_json{{"user", user}, {"closed", *closed}}.dump(2) << "\n";
  else
    std::cout << "revoked user " << one_line(user) << ": " << connections_phrase(*closed) << "\n";
  return 0;
}

int reload(const BusChoice& bus) {
  auto client = connect(bus);
  if (!client) return report_error(client.error().message);
  if (auto reloaded = client->reload(); !reloaded) return report_error(reloaded.error().message);
  std::cout << "policy reloaded\n";
  return 0;
}

}  // namespace nanbyo::ctl
