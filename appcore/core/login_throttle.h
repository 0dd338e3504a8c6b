// Login throttling (issue 12): failed logins make the next attempt wait, per
// account and per terminal, instead of locking the account for good. A few
// failures are free; then each failure doubles the wait (1 s, 2 s, 4 s ...),
// capped low per account (the owner at his own terminal gets in within
// `account_cap` even while a stranger keeps guessing elsewhere) and high per
// terminal (a guessing terminal slows to one try every `terminal_cap`).
//
// State is in memory, guarded by the throttle's own mutex (never the core's):
// a restart of nanbyo-appcore clears it, which costs an attacker nothing he
// could not get by waiting `account_cap`. Attempts in flight count as failures
// until they end, so parallel requests cannot slip past a wait.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "appcore/core/config.h"
#include "pki/clock.h"

namespace nanbyo::appcore {

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginThrottleConfig config) : config_(config) {}

  // One login attempt. Enter the terminal first (before the account is looked
  // up), then the account; a non-zero wait means "refuse without checking the
  // password". Ending it without failed() or succeeded() counts nothing.
  class Attempt {
   public:
    Attempt(Attempt&& other) noexcept;
    Attempt& operator=(Attempt&&) = delete;
    ~Attempt();

    // Seconds to wait before this account may try again (0: go ahead).
    std::chrono::seconds enter_account(const std::string& user_id);
    // A wrong password (counts the account and the terminal) or an attempt
    // refused before the password (unknown ID, ineligible terminal: only the
    // terminal counts, as no account was entered).
    void failed();
    // Resets the account's failures (not the terminal's).
    void succeeded();
    // Whether this refusal is the first of the current wait (audit it) and how
    // many refusals were not audited since the last one.
    bool first_refusal(std::size_t& suppressed);

   private:
    friend class LoginThrottle;
    Attempt(LoginThrottle* t, std::string terminal, TimePoint now) noexcept
        : throttle_(t), terminal_(std::move(terminal)), now_(now) {}
    void release() noexcept;
    LoginThrottle* throttle_;
    std::string terminal_, account_;
    TimePoint now_;
    bool in_terminal_ = false, in_account_ = false;
    bool refused_by_terminal_ = false;
  };

  // Starts an attempt from `terminal` (a stable key: the certificate serial,
  // else the address). `wait` is set when the terminal must wait first.
  Attempt begin(const std::string& terminal, TimePoint now, std::chrono::seconds& wait);
  // Administrative unlock, password reset: the account may try at once.
  void clear_account(const std::string& user_id);
  // The account's current wait (tests, diagnostics).
  std::chrono::seconds account_wait(const std::string& user_id, TimePoint now) const;

 private:
  struct Entry {
    int failures = 0;
    int in_flight = 0;
    TimePoint last_failure{};
    TimePoint next_allowed{};
    TimePoint audited_window{};  // next_allowed of the wait whose refusal was audited
    std::size_t suppressed = 0;
  };
  using Table = std::unordered_map<std::string, Entry>;

  std::chrono::seconds wait_after(int failures, std::chrono::seconds cap) const;
  // Takes a slot in `e` or returns the wait (lock held).
  std::chrono::seconds admit(Entry& e, TimePoint now);
  void forget_if_stale(Entry& e, TimePoint now) const;
  Entry& entry(Table& table, const std::string& key, TimePoint now);
  void prune(Table& table, TimePoint now);

  const LoginThrottleConfig config_;
  mutable std::mutex mutex_;
  Table accounts_, terminals_;
};

}  // namespace nanbyo::appcore
