// What each subject did within the last window (IPS thresholds, issue 14): the anomaly
// scores of its inspection alerts, its requests the inspection refused, the failed logins
// the application core reported, and the scans and floods seen in its tunnels (issue 15).
// record() answers which threshold the subject has just crossed, once: the counts start
// again after that.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "gateway/ips/block_list.h"
#include "gateway/ips/subject.h"

namespace nanbyo::gw::ips {

enum class Offence { Anomaly, BlockedRequest, FailedLogin, TunnelAlert };

struct Thresholds {
  std::chrono::seconds window{300};
  unsigned anomaly_score = 0;     // 0: not counted
  unsigned blocked_requests = 0;  // 0: not counted
  unsigned failed_logins = 0;     // 0: not counted
  unsigned tunnel_alerts = 0;     // 0: not counted
};

class OffenceWindow {
 public:
  // Subjects tracked at once; the quietest leave first when more come (an attacker
  // rotating source addresses cannot grow the table without bound).
  static constexpr std::size_t kMaxSubjects = 65'536;

  // `weight`: the anomaly score for Anomaly, 1 otherwise. The crossed threshold in words
  // ("anomaly score 45 >= 40 in 300 s"), or nothing.
  std::optional<std::string> record(const Subject& subject, Offence offence, unsigned weight,
                                    const Thresholds& limits, Clock::time_point now);
  std::size_t tracked() const;

 private:
  struct Event {
    Clock::time_point at;
    Offence offence;
    unsigned weight;
  };
  struct History {
    std::deque<Event> events;
    uint64_t sums[4] = {0, 0, 0, 0};
    Clock::time_point last;
  };
  void forget_before(History& history, Clock::time_point start);
  void make_room(Clock::time_point now);

  mutable std::mutex mutex_;
  std::map<Subject, History> subjects_;
};

}  // namespace nanbyo::gw::ips
