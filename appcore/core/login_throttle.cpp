#include "appcore/core/login_throttle.h"

#include <algorithm>

namespace nanbyo::appcore {

using std::chrono::seconds;

namespace {

seconds ceil_seconds(std::chrono::sys_seconds until, std::chrono::sys_seconds now) {
  return std::max(seconds(1), std::chrono::duration_cast<seconds>(until - now));
}

}  // namespace

seconds LoginThrottle::wait_after(int failures, seconds cap) const {
  if (failures <= config_.free_failures) return seconds(0);
  seconds w = config_.first_wait;
  for (int i = config_.free_failures + 1; i < failures && w < cap; ++i) w *= 2;
  return std::min(w, cap);
}

void LoginThrottle::forget_if_stale(Entry& e, TimePoint now) const {
  if (e.in_flight == 0 && e.failures > 0 && now - e.last_failure >= config_.forget_after) {
    e.failures = 0;
    e.next_allowed = {};
  }
}

seconds LoginThrottle::admit(Entry& e, TimePoint now) {
  forget_if_stale(e, now);
  if (now < e.next_allowed) return ceil_seconds(e.next_allowed, now);
  // Another attempt is still checking its password: if it fails, this one
  // would be past the free failures, so it waits for the outcome.
  if (e.in_flight > 0 && e.failures + e.in_flight >= config_.free_failures)
    return config_.first_wait;
  ++e.in_flight;
  return seconds(0);
}

LoginThrottle::Entry& LoginThrottle::entry(Table& table, const std::string& key, TimePoint now) {
  if (table.size() >= config_.max_entries && !table.count(key)) prune(table, now);
  return table[key];
}

void LoginThrottle::prune(Table& table, TimePoint now) {
  std::erase_if(table, [&](const auto& item) {
    const Entry& e = item.second;
    return e.in_flight == 0 && (e.failures == 0 || now - e.last_failure >= config_.forget_after);
  });
  if (table.size() < config_.max_entries) return;
  // Still full of recent failures: keep only those still waiting.
  std::erase_if(table, [&](const auto& item) {
    return item.second.in_flight == 0 && item.second.next_allowed <= now;
  });
}

LoginThrottle::Attempt LoginThrottle::begin(const std::string& terminal, TimePoint now,
                                            seconds& wait) {
  std::lock_guard lock(mutex_);
  Attempt a(this, terminal, now);
  wait = admit(entry(terminals_, terminal, now), now);
  a.in_terminal_ = wait == seconds(0);
  a.refused_by_terminal_ = !a.in_terminal_;
  return a;
}

void LoginThrottle::clear_account(const std::string& user_id) {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(user_id);
  if (it == accounts_.end()) return;
  if (it->second.in_flight == 0) {
    accounts_.erase(it);
  } else {
    it->second.failures = 0;
    it->second.next_allowed = {};
  }
}

seconds LoginThrottle::account_wait(const std::string& user_id, TimePoint now) const {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(user_id);
  if (it == accounts_.end() || now >= it->second.next_allowed) return seconds(0);
  return ceil_seconds(it->second.next_allowed, now);
}

LoginThrottle::Attempt::Attempt(Attempt&& o) noexcept
    : throttle_(o.throttle_),
      terminal_(std::move(o.terminal_)),
      account_(std::move(o.account_)),
      now_(o.now_),
      in_terminal_(o.in_terminal_),
      in_account_(o.in_account_),
      refused_by_terminal_(o.refused_by_terminal_) {
  o.throttle_ = nullptr;
}

LoginThrottle::Attempt::~Attempt() {
  release();
}

seconds LoginThrottle::Attempt::enter_account(const std::string& user_id) {
  std::lock_guard lock(throttle_->mutex_);
  account_ = user_id;
  Entry& e = throttle_->entry(throttle_->accounts_, user_id, now_);
  const seconds wait = throttle_->admit(e, now_);
  in_account_ = wait == seconds(0);
  return wait;
}

void LoginThrottle::Attempt::failed() {
  if (!throttle_) return;
  std::lock_guard lock(throttle_->mutex_);
  auto count = [&](Table& table, const std::string& key, seconds cap) {
    Entry& e = throttle_->entry(table, key, now_);
    e.in_flight = std::max(0, e.in_flight - 1);
    ++e.failures;
    e.last_failure = now_;
    e.next_allowed = now_ + throttle_->wait_after(e.failures, cap);
  };
  if (in_terminal_) count(throttle_->terminals_, terminal_, throttle_->config_.terminal_cap);
  if (in_account_) count(throttle_->accounts_, account_, throttle_->config_.account_cap);
  in_terminal_ = in_account_ = false;
}

void LoginThrottle::Attempt::succeeded() {
  if (!throttle_) return;
  {
    std::lock_guard lock(throttle_->mutex_);
    if (in_account_) {
      Entry& e = throttle_->accounts_[account_];
      e.in_flight = std::max(0, e.in_flight - 1);
      e.failures = 0;
      e.next_allowed = {};
      in_account_ = false;
    }
  }
  release();
}

bool LoginThrottle::Attempt::first_refusal(std::size_t& suppressed) {
  std::lock_guard lock(throttle_->mutex_);
  Table& table = refused_by_terminal_ ? throttle_->terminals_ : throttle_->accounts_;
  auto it = table.find(refused_by_terminal_ ? terminal_ : account_);
  if (it == table.end()) return true;
  Entry& e = it->second;
  if (e.audited_window != e.next_allowed) {
    e.audited_window = e.next_allowed;
    suppressed = e.suppressed;
    e.suppressed = 0;
    return true;
  }
  ++e.suppressed;
  return false;
}

void LoginThrottle::Attempt::release() noexcept {
  if (!throttle_) return;
  std::lock_guard lock(throttle_->mutex_);
  auto leave = [](Table& table, const std::string& key) {
    auto it = table.find(key);
    if (it == table.end()) return;
    it->second.in_flight = std::max(0, it->second.in_flight - 1);
    if (it->second.in_flight == 0 && it->second.failures == 0 && it->second.suppressed == 0)
      table.erase(it);
  };
  if (in_terminal_) leave(throttle_->terminals_, terminal_);
  if (in_account_) leave(throttle_->accounts_, account_);
  // A terminal or account that was only looked at leaves no entry behind.
  auto drop_unused = [](Table& table, const std::string& key) {
    auto it = table.find(key);
    if (it != table.end() && it->second.in_flight == 0 && it->second.failures == 0 &&
        it->second.suppressed == 0)
      table.erase(it);
  };
  drop_unused(throttle_->terminals_, terminal_);
  if (!account_.empty()) drop_unused(throttle_->accounts_, account_);
  in_terminal_ = in_account_ = false;
  throttle_ = nullptr;
}

}  // namespace nanbyo::appcore
