// A connection's deadline, kept by one timer that wakes about once per timeout (issue 15).
// Beast's basic_stream arms its timer before every read and write and cancels it after:
// a timer-queue insert, a removal and one more handler run per operation, about 3,000
// instructions of a proxied request. Here setting the deadline is a clock read and a
// store; the timer is armed again only when a deadline comes earlier than the one it waits
// for, and when it wakes early (the deadline moved on) it just waits for the new one.
// When the deadline passes, `on_expiry` ends the connection (closes its socket, so that
// the pending operation fails) and expired() says why it failed.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "gateway/asio.h"

namespace nanbyo::gw {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  Deadline(const Executor& executor, std::function<void()> on_expiry);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  void expires_after(Clock::duration timeout);
  void expires_never();
  // The last deadline passed (and on_expiry ran): the failed operation timed out.
  bool expired() const;

 private:
  struct State;
  static void wait(const std::shared_ptr<State>& state, Clock::time_point until);
  std::shared_ptr<State> state_;  // shared with the timer's handler, which may outlive this
};

}  // namespace nanbyo::gw
