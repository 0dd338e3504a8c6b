// The subjects the IPS has blocked, each until a time: set when a subject crosses a
// threshold or by an operator (nanbyoctl), lifted by an operator or by the clock. Shared by
// every worker thread and the control bus; survives policy reloads.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gateway/ips/subject.h"

namespace nanbyo::gw::ips {

using Clock = std::chrono::steady_clock;

struct Block {
  Subject subject;
  std::string reason;  // the threshold crossed ("anomaly-score 45/40 in 300 s") or an operator's
  std::string origin;  // "threshold" | "operator"
  std::chrono::system_clock::time_point since;  // for people: when it began
  Clock::time_point until;                      // for the clock: when it ends by itself
};

// The seconds a block still lasts, rounded up, for listings.
long long seconds_left(const Block& block, Clock::time_point now = Clock::now());

class BlockList {
 public:
  // Adds or replaces the block of `block.subject`; false when it only replaced one.
  bool add(Block block);
  // False when the subject was not blocked (or its block had expired).
  bool lift(const Subject& subject, Clock::time_point now);
  // The subject's block while it lasts.
  std::optional<Block> find(const Subject& subject, Clock::time_point now) const;
  // The blocks still in force, terminals first, each kind by value.
  std::vector<Block> list(Clock::time_point now) const;

 private:
  void drop_expired(Clock::time_point now);

  mutable std::mutex mutex_;
  std::map<Subject, Block> blocks_;
};

}  // namespace nanbyo::gw::ips
