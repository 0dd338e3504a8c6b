// Drives an sd-bus connection from an Asio io_context: waits on
// sd_bus_get_fd() for what sd_bus_get_events() asks (read, and write while
// messages are queued), arms a timer for sd_bus_get_timeout(), and then calls
// sd_bus_process() until it returns 0. All sd-bus callbacks therefore run in
// the io_context's thread.
//
// The io_context must be run by ONE thread (the gateway's control loop):
// Asio's epoll reactor is edge-triggered, and only a single thread guarantees
// that the wait is re-armed before the next readiness edge is harvested.
// Destroy the pump in that thread, or after the io_context has stopped.
#pragma once

#include <systemd/sd-bus.h>

#include <functional>
#include <memory>
#include <string>

#include "gateway/asio.h"

namespace nanbyo::gw::dbus {

class AsioBusPump {
 public:
  // `bus` must outlive the pump; the pump never closes its fd.
  // `on_failure` runs once, in the io_context's thread, if the connection
  // breaks (e.g. the bus daemon went away); the pump stops then.
  AsioBusPump(asio::io_context& io, sd_bus* bus,
              std::function<void(const std::string&)> on_failure);
  ~AsioBusPump();
  AsioBusPump(const AsioBusPump&) = delete;
  AsioBusPump& operator=(const AsioBusPump&) = delete;

  // Processes whatever is already queued (posted to the io_context), then waits.
  void start();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace nanbyo::gw::dbus
