// Per-source limits (IPS, issue 14): a token bucket of requests per second and a count of
// open connections for every source address. Refusals say whether they are the first of a
// run, so one audit record stands for a flood instead of one per refused request.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "gateway/ips/block_list.h"

namespace nanbyo::gw::ips {

struct Admission {
  bool allowed = true;
  bool first_refusal = false;  // refused, and the one before was allowed
};

class RequestRateLimiter {
 public:
  static constexpr std::size_t kMaxSources = 65'536;

  // `rate` requests per second with bursts of `burst`; rate 0 admits everything.
  Admission admit(const std::string& source, unsigned rate, unsigned burst, Clock::time_point now);
  std::size_t tracked() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point last;
    bool refusing = false;
  };
  void forget_full(unsigned rate, unsigned burst, Clock::time_point now);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

class ConnectionCounter {
 public:
  // Takes a place for `source` unless it holds `limit` already (limit 0: no limit).
  Admission acquire(const std::string& source, unsigned limit);
  void release(const std::string& source);
  unsigned open(const std::string& source) const;

 private:
  struct Count {
    unsigned open = 0;
    bool refusing = false;
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Count> counts_;
};

}  // namespace nanbyo::gw::ips
