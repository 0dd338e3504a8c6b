#include "gateway/contract/bus_choice.h"

#include <cstring>

namespace nanbyo::gw::dbus {

Result<BusChoice> BusChoice::parse(std::string_view text) {
  if (text == "system") return system();
  if (text == "session") return session();
  if (text.find(':') != std::string_view::npos) return at(std::string(text));
  return fail(
      "bus must be 'system', 'session' or a D-Bus address like unix:path=/run/x/bus, not '" +
      std::string(text) + "'");
}

std::string BusChoice::describe() const {
  switch (kind) {
    case Kind::System:
      return "the system bus";
    case Kind::Session:
      return "the session bus";
    case Kind::Address:
      return "the bus at " + address;
  }
  return "an unknown bus";
}

namespace {

int open_at(const std::string& address, sd_bus** out) {
  sd_bus* raw = nullptr;
  int r = sd_bus_new(&raw);
  if (r < 0) return r;
  SdBus bus(raw);
  if ((r = sd_bus_set_address(bus.get(), address.c_str())) < 0) return r;
  // A message bus, not a peer: send Hello and get a unique name.
  if ((r = sd_bus_set_bus_client(bus.get(), 1)) < 0) return r;
  if ((r = sd_bus_start(bus.get())) < 0) return r;
  *out = bus.release();
  return 0;
}

}  // namespace

Result<SdBus> open_bus(const BusChoice& choice) {
  sd_bus* raw = nullptr;
  int r = 0;
  switch (choice.kind) {
    case BusChoice::Kind::System:
      r = sd_bus_open_system(&raw);
      break;
    case BusChoice::Kind::Session:
      r = sd_bus_open_user(&raw);
      break;
    case BusChoice::Kind::Address:
      r = open_at(choice.address, &raw);
      break;
  }
  if (r < 0) return fail(std::strerror(-r));
  return SdBus(raw);
}

}  // namespace nanbyo::gw::dbus
