// The Prometheus text exposition format 0.0.4, written by both processes: one # HELP and
// # TYPE per family followed by its samples, label values escaped, histograms as cumulative
// _bucket{le=...} series with _sum and _count. Names follow Prometheus' rules (snake_case,
// base units such as _seconds and _bytes, counters ending in _total); promtool's
// `check metrics` lints the result in tests/prometheus/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/histogram.h"

namespace nanbyo::metrics {

struct Label {
  std::string_view name;
  std::string_view value;
};
using Labels = std::vector<Label>;

enum class Type { Counter, Gauge, Histogram };

class TextWriter {
 public:
  // Starts a family; every sample until the next family() must belong to it.
  void family(std::string_view name, Type type, std::string_view help);
  void sample(std::string_view name, const Labels& labels, uint64_t value);
  void sample(std::string_view name, const Labels& labels, double value);
  // name_bucket{...,le="..."} for every bound and +Inf, then name_sum and name_count.
  void histogram(std::string_view name, const Labels& labels, const Histogram::Snapshot& values);

  // Shorthands for a family with one unlabelled sample.
  void counter(std::string_view name, std::string_view help, uint64_t value);
  void gauge(std::string_view name, std::string_view help, double value);

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void series(std::string_view name, const Labels& labels, std::string_view extra_le);

  std::string out_;
};

// Shortest text that reads back as `value`; +Inf, -Inf and NaN as Prometheus spells them.
std::string format_value(double value);

}  // namespace nanbyo::metrics
