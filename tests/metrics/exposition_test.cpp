// The text both processes export (issue 17, O-2): what Prometheus and promtool require of a
// histogram and of labels. promtool itself lints the live output in tests/prometheus/.
#include <catch2/catch.hpp>

#include <chrono>
#include <limits>
#include <string>

#include "metrics/exposition.h"
#include "metrics/histogram.h"

using namespace nanbyo::metrics;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

std::string rendered(const Histogram& h, const Labels& labels = {}) {
  TextWriter out;
  out.family("demo_duration_seconds", Type::Histogram, "A demo.");
  out.histogram("demo_duration_seconds", labels, h.snapshot());
  return out.take();
}

}  // namespace

TEST_CASE("O-2: a histogram's buckets are cumulative and end in +Inf equal to _count") {
  Histogram h;
  h.observe(microseconds(100));  // <= 0.00025
  h.observe(milliseconds(3));    // <= 0.005
  h.observe(milliseconds(3));
  h.observe(seconds(60));  // beyond the last bound
  const std::string text = rendered(h);
  CHECK(
      text.starts_with("# HELP demo_duration_seconds A demo.\n"
                       "# TYPE demo_duration_seconds histogram\n"));
  CHECK(has_line(text, "demo_duration_seconds_bucket{le=\"0.00025\"} 1"));
  CHECK(has_line(text, "demo_duration_seconds_bucket{le=\"0.0025\"} 1"));
  CHECK(has_line(text, "demo_duration_seconds_bucket{le=\"0.005\"} 3"));
  CHECK(has_line(text, "demo_duration_seconds_bucket{le=\"10\"} 3"));
  CHECK(has_line(text, "demo_duration_seconds_bucket{le=\"+Inf\"} 4"));
  CHECK(has_line(text, "demo_duration_seconds_count 4"));
  CHECK(has_line(text, "demo_duration_seconds_sum 60.0061"));
}

TEST_CASE("O-2: an observation on a bucket's bound counts in that bucket (le is inclusive)") {
  Histogram h;
  h.observe(milliseconds(1));
  const auto s = h.snapshot();
  CHECK(s.cumulative[1] == 0);  // le 0.0005
  CHECK(s.cumulative[2] == 1);  // le 0.001
  CHECK(s.count() == 1);
}

TEST_CASE("O-2: an empty histogram still shows every bucket, a zero sum and count") {
  const std::string text = rendered(Histogram{}, {{"listener", "hospital"}});
  CHECK(has_line(text, "demo_duration_seconds_bucket{listener=\"hospital\",le=\"0.00025\"} 0"));
  CHECK(has_line(text, "demo_duration_seconds_bucket{listener=\"hospital\",le=\"+Inf\"} 0"));
  CHECK(has_line(text, "demo_duration_seconds_sum{listener=\"hospital\"} 0"));
  CHECK(has_line(text, "demo_duration_seconds_count{listener=\"hospital\"} 0"));
  std::size_t buckets = 0;
  for (std::size_t at = 0; (at = text.find("_bucket{", at)) != std::string::npos; ++at) ++buckets;
  CHECK(buckets == kLatencyBounds.size() + 1);
}

TEST_CASE("O-2: a negative duration (a clock step) counts as zero, never wraps the sum") {
  Histogram h;
  h.observe(std::chrono::nanoseconds(-5));
  CHECK(h.snapshot().cumulative[0] == 1);
  CHECK(h.snapshot().sum_seconds == 0);
}

TEST_CASE(
    "O-2: label values escape backslash, quote and newline, HELP escapes backslash and newline") {
  TextWriter out;
  out.family("demo_info", Type::Gauge, "Line one\nC:\\path \"quoted\"");
  out.sample("demo_info", {{"subject", "CN=a\"b\\c\nd"}}, uint64_t{1});
  CHECK(out.text() ==
        "# HELP demo_info Line one\\nC:\\\\path \"quoted\"\n"
        "# TYPE demo_info gauge\n"
        "demo_info{subject=\"CN=a\\\"b\\\\c\\nd\"} 1\n");
}

TEST_CASE(
    "O-2: values read back exactly, whole numbers in full, specials as Prometheus spells them") {
  CHECK(format_value(0.0005) == "0.0005");
  CHECK(format_value(0.00025) == "0.00025");
  CHECK(format_value(1796279782.0) == "1796279782");
  CHECK(format_value(2.5) == "2.5");
  CHECK(format_value(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(format_value(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(format_value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
}
