// A Prometheus histogram with fixed buckets, cheap enough for the gateway's per-request path:
// observe() is a short scan of the bounds and two relaxed atomic additions, no lock and no
// allocation. The buckets are counted one by one and made cumulative when rendered.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace nanbyo::metrics {

// Upper bounds in seconds, from 250 µs (a proxied request on loopback) to 10 s (the
// upstream's timeout); the last bucket, +Inf, is implicit.
inline constexpr std::array<double, 15> kLatencyBounds{
    0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};

namespace detail {
constexpr std::array<int64_t, kLatencyBounds.size()> bounds_ns() {
  std::array<int64_t, kLatencyBounds.size()> out{};
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<int64_t>(kLatencyBounds[i] * 1e9 + 0.5);
  return out;
}
inline constexpr std::array<int64_t, kLatencyBounds.size()> kBoundsNs = bounds_ns();
}  // namespace detail

class Histogram {
 public:
  static constexpr std::size_t kBuckets = kLatencyBounds.size() + 1;  // with +Inf

  void observe(std::chrono::nanoseconds elapsed) {
    const int64_t ns = elapsed.count() < 0 ? 0 : elapsed.count();
    std::size_t i = 0;
    while (i < detail::kBoundsNs.size() && ns > detail::kBoundsNs[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_ns_.fetch_add(static_cast<uint64_t>(ns), std::memory_order_relaxed);
  }

  struct Snapshot {
    std::array<uint64_t, kBuckets> cumulative{};  // observations <= bound i; the last is _count
    double sum_seconds = 0;
    uint64_t count() const { return cumulative.back(); }
  };
  // Not atomic as a whole: a scrape racing observe() may see a sum one observation ahead of
  // the buckets, which Prometheus tolerates (the client libraries do the same).
  Snapshot snapshot() const;

 private:
  std::array<std::atomic<uint64_t>, kBuckets> buckets_{};
  std::atomic<uint64_t> sum_ns_{0};
};

}  // namespace nanbyo::metrics
