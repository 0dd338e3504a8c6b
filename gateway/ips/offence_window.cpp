#include "gateway/ips/offence_window.h"

#include <algorithm>

namespace nanbyo::gw::ips {
namespace {

// Events kept per subject: beyond this the oldest go, which only ever lowers a sum.
constexpr std::size_t kMaxEvents = 4096;

const char* offence_name(Offence offence) {
  switch (offence) {
    case Offence::Anomaly:
      return "anomaly score";
    case Offence::BlockedRequest:
      return "blocked requests";
    case Offence::FailedLogin:
      return "failed logins";
    case Offence::TunnelAlert:
      return "tunnel alerts";
  }
  return "offences";
}

unsigned limit_of(Offence offence, const Thresholds& limits) {
  switch (offence) {
    case Offence::Anomaly:
      return limits.anomaly_score;
    case Offence::BlockedRequest:
      return limits.blocked_requests;
    case Offence::FailedLogin:
      return limits.failed_logins;
    case Offence::TunnelAlert:
      return limits.tunnel_alerts;
  }
  return 0;
}

}  // namespace

std::optional<std::string> OffenceWindow::record(const Subject& subject, Offence offence,
                                                 unsigned weight, const Thresholds& limits,
                                                 Clock::time_point now) {
  const unsigned limit = limit_of(offence, limits);
  if (limit == 0 || weight == 0) return std::nullopt;
  std::lock_guard lock(mutex_);
  if (subjects_.size() >= kMaxSubjects && !subjects_.contains(subject)) make_room(now);
  History& history = subjects_[subject];
  forget_before(history, now - limits.window);
  history.events.push_back({now, offence, weight});
  history.sums[static_cast<int>(offence)] += weight;
  history.last = now;
  if (history.events.size() > kMaxEvents) {
    const Event& oldest = history.events.front();
    history.sums[static_cast<int>(oldest.offence)] -= oldest.weight;
    history.events.pop_front();
  }
  const uint64_t sum = history.sums[static_cast<int>(offence)];
  if (sum < limit) return std::nullopt;
  subjects_.erase(subject);  // counted from zero again once the block ends
  return std::string(offence_name(offence)) + " " + std::to_string(sum) +
         " >= " + std::to_string(limit) + " in " + std::to_string(limits.window.count()) + " s";
}

std::size_t OffenceWindow::tracked() const {
  std::lock_guard lock(mutex_);
  return subjects_.size();
}

void OffenceWindow::forget_before(History& history, Clock::time_point start) {
  while (!history.events.empty() && history.events.front().at < start) {
    const Event& oldest = history.events.front();
    history.sums[static_cast<int>(oldest.offence)] -= oldest.weight;
    history.events.pop_front();
  }
}

// Under the lock, with the table full: the quarter of the subjects heard from longest ago go.
void OffenceWindow::make_room(Clock::time_point now) {
  std::vector<Clock::time_point> lasts;
  lasts.reserve(subjects_.size());
  for (const auto& [subject, history] : subjects_) lasts.push_back(history.last);
  auto cut = lasts.begin() + static_cast<std::ptrdiff_t>(lasts.size() / 4);
  std::nth_element(lasts.begin(), cut, lasts.end());
  const Clock::time_point threshold = std::min(*cut, now);
  std::erase_if(subjects_,
                [threshold](const auto& entry) { return entry.second.last <= threshold; });
}

}  // namespace nanbyo::gw::ips
