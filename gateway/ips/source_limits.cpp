#include "gateway/ips/source_limits.h"

#include <algorithm>

namespace nanbyo::gw::ips {

Admission RequestRateLimiter::admit(const std::string& source, unsigned rate, unsigned burst,
                                    Clock::time_point now) {
  if (rate == 0) return {};
  const double capacity = std::max(burst, rate);
  std::lock_guard lock(mutex_);
  auto at = buckets_.find(source);
  if (at == buckets_.end()) {
    if (buckets_.size() >= kMaxSources) forget_full(rate, burst, now);
    at = buckets_.emplace(source, Bucket{capacity, now, false}).first;
  }
  Bucket& bucket = at->second;
  const std::chrono::duration<double> elapsed = now - bucket.last;
  bucket.tokens = std::min(capacity, bucket.tokens + elapsed.count() * rate);
  bucket.last = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    bucket.refusing = false;
    return {};
  }
  const bool first = !bucket.refusing;
  bucket.refusing = true;
  return {false, first};
}

std::size_t RequestRateLimiter::tracked() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

// Under the lock: a source whose bucket has refilled since its last request is where a new
// one would start, so forgetting it changes nothing. If every bucket is busy, the table is
// cleared rather than grown (a flood of fresh addresses then gets full buckets).
void RequestRateLimiter::forget_full(unsigned rate, unsigned burst, Clock::time_point now) {
  const auto refill = std::chrono::duration<double>(double(std::max(burst, rate)) / rate);
  std::erase_if(buckets_, [&](const auto& entry) { return now - entry.second.last >= refill; });
  if (buckets_.size() >= kMaxSources) buckets_.clear();
}

Admission ConnectionCounter::acquire(const std::string& source, unsigned limit) {
  std::lock_guard lock(mutex_);
  Count& count = counts_[source];
  if (limit != 0 && count.open >= limit) {
    const bool first = !count.refusing;
    count.refusing = true;
    return {false, first};
  }
  ++count.open;
  count.refusing = false;
  return {};
}

void ConnectionCounter::release(const std::string& source) {
  std::lock_guard lock(mutex_);
  auto at = counts_.find(source);
  if (at == counts_.end()) return;
  if (at->second.open <= 1) {
    counts_.erase(at);
  } else {
    --at->second.open;
  }
}

unsigned ConnectionCounter::open(const std::string& source) const {
  std::lock_guard lock(mutex_);
  auto at = counts_.find(source);
  return at == counts_.end() ? 0 : at->second.open;
}

}  // namespace nanbyo::gw::ips
