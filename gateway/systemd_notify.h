// sd_notify READY/RELOADING/STOPPING and watchdog pings (no-ops outside systemd).
#pragma once

#include "gateway/asio.h"

namespace nanbyo::gw {

void notify_ready();
void notify_reloading();
void notify_stopping();

// Pings WATCHDOG=1 at half the interval systemd asks for, from the control
// loop: a stuck control loop stops the pings and systemd restarts the gateway.
class Watchdog {
 public:
  explicit Watchdog(asio::io_context& io);

 private:
  void arm();
  asio::steady_timer timer_;
  std::chrono::microseconds interval_{0};
};

}  // namespace nanbyo::gw
