// sd_notify READY/RELOADING/STOPPING and watchdog pings for the daemons
// (no-ops outside systemd). Shared by nanbyo-gateway and nanbyo-appcore.
#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace nanbyo::service {

void notify_ready();
void notify_reloading();
void notify_stopping();

// Pings WATCHDOG=1 at half the interval systemd asks for (WatchdogSec=), from
// the loop it is given: a stuck loop stops the pings and systemd restarts the
// service.
class Watchdog {
 public:
  explicit Watchdog(boost::asio::io_context& io);

 private:
  void arm();
  boost::asio::steady_timer timer_;
  std::chrono::microseconds interval_{0};
};

}  // namespace nanbyo::service
