#include "metrics/histogram.h"

namespace nanbyo::metrics {

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot out;
  uint64_t running = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out.cumulative[i] = running;
  }
  out.sum_seconds = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
  return out;
}

}  // namespace nanbyo::metrics
