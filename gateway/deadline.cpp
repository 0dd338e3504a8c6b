#include "gateway/deadline.h"

namespace nanbyo::gw {

namespace {
// With no deadline set the timer still wakes now and then rather than being cancelled:
// the next deadline (often a few seconds away) then seldom needs it armed again.
constexpr auto kIdleWake = std::chrono::seconds(60);
}  // namespace

struct Deadline::State {
  explicit State(const Executor& executor, std::function<void()> expiry)
      : timer(executor), on_expiry(std::move(expiry)) {}
  asio::basic_waitable_timer<Clock, asio::wait_traits<Clock>, Executor> timer;
  std::function<void()> on_expiry;                     // empty once the owner is gone
  Clock::time_point at = Clock::time_point::max();     // the deadline; max: none
  Clock::time_point armed = Clock::time_point::max();  // what the timer waits for
  bool waiting = false;
  bool expired = false;
  std::uint64_t generation = 0;  // a wait that was replaced ignores its wake-up
};

Deadline::Deadline(const Executor& executor, std::function<void()> on_expiry)
    : state_(std::make_shared<State>(executor, std::move(on_expiry))) {}

Deadline::~Deadline() {
  state_->on_expiry = nullptr;
  state_->generation++;
  state_->timer.cancel();
}

void Deadline::wait(const std::shared_ptr<State>& state, Clock::time_point until) {
  state->armed = until;
  state->waiting = true;
  const std::uint64_t generation = ++state->generation;
  state->timer.expires_at(until);  // cancels a wait already pending: it sees a new generation
  state->timer.async_wait([state, generation](const beast::error_code&) {
    if (generation != state->generation || !state->on_expiry) return;
    state->waiting = false;
    const auto now = Clock::now();
    if (state->at == Clock::time_point::max()) {
      wait(state, now + kIdleWake);
    } else if (now < state->at) {
      wait(state, state->at);  // the deadline moved on since this wait began
    } else {
      state->expired = true;
      state->at = Clock::time_point::max();
      state->on_expiry();
    }
  });
}

void Deadline::expires_after(Clock::duration timeout) {
  State& state = *state_;
  state.at = Clock::now() + timeout;
  state.expired = false;
  if (!state.waiting || state.at < state.armed) wait(state_, state.at);
}

void Deadline::expires_never() {
  state_->at = Clock::time_point::max();
}

bool Deadline::expired() const {
  return state_->expired;
}

}  // namespace nanbyo::gw
