#include "service/systemd_notify.h"

#include <systemd/sd-daemon.h>

#include <ctime>
#include <string>

namespace nanbyo::service {

void notify_ready() {
  sd_notify(0, "READY=1\nSTATUS=serving");
}

void notify_reloading() {
  // systemd 253+ wants MONOTONIC_USEC with RELOADING=1; older ones ignore it.
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  std::string message =
      "RELOADING=1\nMONOTONIC_USEC=" +
      std::to_string(static_cast<long long>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000);
  sd_notify(0, message.c_str());
}

void notify_stopping() {
  sd_notify(0, "STOPPING=1");
}

Watchdog::Watchdog(boost::asio::io_context& io) : timer_(io) {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    interval_ = std::chrono::microseconds(usec / 2);
    arm();
  }
}

void Watchdog::arm() {
  timer_.expires_after(interval_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    sd_notify(0, "WATCHDOG=1");
    arm();
  });
}

}  // namespace nanbyo::service
