// RAII for the sd-bus C handles (CONVENTIONS.md rule 7): declared once here,
// no *_unref call anywhere else.
#pragma once

#include <systemd/sd-bus.h>

#include <memory>
#include <string>

namespace nanbyo::gw::dbus {

struct BusCloser {
  // Flushes what is queued, closes the connection, then drops our reference.
  void operator()(sd_bus* bus) const { sd_bus_flush_close_unref(bus); }
};
struct SlotUnref {
  void operator()(sd_bus_slot* slot) const { sd_bus_slot_unref(slot); }
};
struct MessageUnref {
  void operator()(sd_bus_message* message) const { sd_bus_message_unref(message); }
};
struct CredsUnref {
  void operator()(sd_bus_creds* creds) const { sd_bus_creds_unref(creds); }
};

using SdBus = std::unique_ptr<sd_bus, BusCloser>;
using SdSlot = std::unique_ptr<sd_bus_slot, SlotUnref>;
using SdMessage = std::unique_ptr<sd_bus_message, MessageUnref>;
using SdCreds = std::unique_ptr<sd_bus_creds, CredsUnref>;

// An sd_bus_error that frees itself.
class BusError {
 public:
  BusError() = default;
  BusError(const BusError&) = delete;
  BusError& operator=(const BusError&) = delete;
  ~BusError() { sd_bus_error_free(&error_); }

  sd_bus_error* get() { return &error_; }
  bool is_set() const { return sd_bus_error_is_set(&error_) > 0; }
  bool has_name(const char* name) const { return sd_bus_error_has_name(&error_, name) > 0; }
  std::string name() const { return error_.name ? error_.name : ""; }
  std::string message() const { return error_.message ? error_.message : ""; }

 private:
  sd_bus_error error_ = SD_BUS_ERROR_NULL;
};

}  // namespace nanbyo::gw::dbus
