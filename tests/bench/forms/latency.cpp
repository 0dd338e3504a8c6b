#include "tests/bench/forms/latency.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "tests/bench/forms/bench_measure.h"
#include "tests/bench/forms/sample_forms.h"

namespace nanbyo::bench {
namespace {

struct Sample {
  std::vector<double> us;  // one entry per timed call
  double cpu_s = 0;
};

void print_row(const char* name, const char* kind, std::vector<double> us, double cpu_s) {
  std::sort(us.begin(), us.end());
  std::printf("  %-13s %-9s %8.1f %8.1f %8.1f %10.1f\n", name, kind, percentile(us, 0.50),
              percentile(us, 0.99), us.back(), cpu_s / static_cast<double>(us.size()) * 1e6);
}

// Times `iterations` evaluate calls; the result is kept alive so nothing is optimised away.
Sample measure(const appcore::FormService& service, const std::string& definition,
               const forms::FormValues& values, const LatencyOptions& options, std::size_t& sink) {
  for (std::size_t i = 0; i < options.warmup; ++i)
    sink += service.evaluate(definition, values)->judgments.size();
  Sample s;
  s.us.reserve(options.iterations);
  const double cpu0 = self_cpu_seconds();
  for (std::size_t i = 0; i < options.iterations; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto eval = service.evaluate(definition, values);
    const auto t1 = std::chrono::steady_clock::now();
    sink += eval->messages.size() + eval->judgments.size();
    s.us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  s.cpu_s = self_cpu_seconds() - cpu0;
  return s;
}

}  // namespace

bool run_latency(const appcore::FormService& service, const LatencyOptions& options) {
  std::printf("== a. check + calculation + judgment per form (FormService::evaluate)\n");
  std::printf("   %zu timed calls per form after %zu warm-up calls, one thread\n",
              options.iterations, options.warmup);
  std::printf("  %-13s %-9s %8s %8s %8s %10s\n", "definition", "form", "p50 us", "p99 us", "max us",
              "cpu us/form");
  std::vector<double> all;
  double all_cpu = 0;
  std::size_t sink = 0;
  for (const auto& id : sample_definitions()) {
    const forms::FormDefinition* def = service.catalog().find(id);
    if (!def) return std::fprintf(stderr, "no definition %s\n", id.c_str()), false;
    forms::FormValues complete = sample_form(*def, 1);
    forms::FormValues wrong = sample_form(*def, 2);
    add_entry_errors(wrong, kAllErrors);
    auto ok = service.evaluate(id, complete);
    auto bad = service.evaluate(id, wrong);
    if (!ok || !ok->messages.empty() || !bad || !forms::has_errors(bad->messages))
      return std::fprintf(stderr, "sample forms of %s are not as intended\n", id.c_str()), false;
    for (auto* values : {&complete, &wrong}) {
      Sample s = measure(service, id, *values, options, sink);
      print_row(id.c_str(), values == &complete ? "complete" : "3 errors", s.us, s.cpu_s);
      all.insert(all.end(), s.us.begin(), s.us.end());
      all_cpu += s.cpu_s;
    }
  }
  print_row("all", "", all, all_cpu);
  std::printf("  (checksum %zu)\n", sink);
  return true;
}

}  // namespace nanbyo::bench
