#include "gateway/control/asio_bus_pump.h"

#include <poll.h>

#include <cstdint>
#include <cstring>

namespace nanbyo::gw::dbus {

// Shared with the pending handlers through weak_ptr: a handler that runs after
// the pump is gone does nothing.
struct AsioBusPump::State : std::enable_shared_from_this<State> {
  State(asio::io_context& io, sd_bus* b, std::function<void(const std::string&)> f)
      : bus(b), fd(io, sd_bus_get_fd(b)), timer(io), on_failure(std::move(f)) {}

  ~State() {
    boost::system::error_code ignored;
    timer.cancel(ignored);
    fd.release();  // cancels the waits; the fd belongs to sd-bus
  }

  void process();
  void arm();
  void wait(asio::posix::descriptor_base::wait_type type, bool& pending);
  void fail(const char* what, int r);

  sd_bus* bus;
  asio::posix::stream_descriptor fd;
  asio::steady_timer timer;
  std::function<void(const std::string&)> on_failure;
  bool reading = false;
  bool writing = false;
  bool stopped = false;
};

void AsioBusPump::State::process() {
  if (stopped) return;
  for (;;) {
    int r = sd_bus_process(bus, nullptr);
    if (r < 0) return fail("processing the bus connection", r);
    if (r == 0) break;  // nothing more to do until the fd or the timer says so
  }
  arm();
}

void AsioBusPump::State::arm() {
  int events = sd_bus_get_events(bus);
  if (events < 0) return fail("asking the bus connection what to wait for", events);
  if (events & POLLIN) wait(asio::posix::descriptor_base::wait_read, reading);
  if (events & POLLOUT) wait(asio::posix::descriptor_base::wait_write, writing);

  uint64_t usec = 0;
  int r = sd_bus_get_timeout(bus, &usec);
  if (r < 0) return fail("asking the bus connection for its timeout", r);
  if (usec == UINT64_MAX) {
    timer.cancel();
    return;
  }
  // sd-bus answers in CLOCK_MONOTONIC, which is what steady_clock reads on Linux.
  timer.expires_at(std::chrono::steady_clock::time_point(std::chrono::microseconds(usec)));
  timer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (!self || ec == asio::error::operation_aborted) return;
    self->process();
  });
}

void AsioBusPump::State::wait(asio::posix::descriptor_base::wait_type type, bool& pending) {
  if (pending) return;
  pending = true;
  fd.async_wait(type, [weak = weak_from_this(), &pending](boost::system::error_code ec) {
    auto self = weak.lock();
    if (!self) return;
    pending = false;
    if (ec == asio::error::operation_aborted) return;
    // Any other error (a hang-up) is for sd_bus_process to report.
    self->process();
  });
}

void AsioBusPump::State::fail(const char* what, int r) {
  stopped = true;
  boost::system::error_code ignored;
  timer.cancel(ignored);
  fd.cancel(ignored);
  if (on_failure) on_failure(std::string(what) + ": " + std::strerror(-r));
}

AsioBusPump::AsioBusPump(asio::io_context& io, sd_bus* bus,
                         std::function<void(const std::string&)> on_failure)
    : state_(std::make_shared<State>(io, bus, std::move(on_failure))) {}

AsioBusPump::~AsioBusPump() = default;

void AsioBusPump::start() {
  asio::post(state_->timer.get_executor(), [weak = std::weak_ptr<State>(state_)] {
    if (auto self = weak.lock()) self->process();
  });
}

}  // namespace nanbyo::gw::dbus
