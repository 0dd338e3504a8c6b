#include "tests/bench/forms/catalog_latency.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "tests/bench/forms/bench_measure.h"
#include "tests/bench/forms/generic_forms.h"

namespace nanbyo::bench {
namespace {

// The timings of one row of the table and what the judgments gave.
struct LatencyRow {
  std::string name, title;
  std::size_t forms = 0, definite = 0, other = 0;  // first judgment's first outcome or not
  std::string first_outcome;
  std::vector<double> us;
  double cpu_s = 0;

  void add(const LatencyRow& r) {
    forms += r.forms;
    definite += r.definite;
    other += r.other;
    us.insert(us.end(), r.us.begin(), r.us.end());
    cpu_s += r.cpu_s;
  }
};

void print_latency_row(LatencyRow r) {
  std::sort(r.us.begin(), r.us.end());
  const std::string judged =
      r.definite + r.other == 0
          ? "no rules"
          : std::to_string(r.definite) + " " + r.first_outcome + " / " + std::to_string(r.other);
  std::printf("  %-30s %6zu %-22s %7.1f %7.1f %8.1f %7.1f  %s\n", r.name.c_str(), r.forms,
              judged.c_str(), percentile(r.us, 0.50), percentile(r.us, 0.99), r.us.back(),
              r.cpu_s / static_cast<double>(r.us.size()) * 1e6, r.title.c_str());
}

// Times `calls` evaluations of each form of one definition.
bool time_definition(const appcore::FormService& service, const forms::FormDefinition& def,
                     std::size_t forms, std::size_t first_patient,
                     const CatalogLatencyOptions& options, LatencyRow& row, std::size_t& sink) {
  for (std::size_t k = 0; k < forms; ++k) {
    auto values = generic_form(def, first_patient + k);
    if (!values) return std::fprintf(stderr, "no complete form for %s\n", def.id.c_str()), false;
    const FirstJudgment judged = first_judgment(def, *values);
    if (!def.judgments.empty()) {
      row.first_outcome = def.judgments.front().outcomes.front().value;
      (judged.first ? row.definite : row.other) += 1;
    }
    for (std::size_t i = 0; i < options.warmup_calls; ++i)
      sink += service.evaluate(def.id, *values)->judgments.size();
    const double cpu0 = self_cpu_seconds();
    for (std::size_t i = 0; i < options.calls_per_form; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      auto eval = service.evaluate(def.id, *values);
      const auto t1 = std::chrono::steady_clock::now();
      if (!eval || forms::has_errors(eval->messages))
        return std::fprintf(stderr, "evaluate %s failed\n", def.id.c_str()), false;
      sink += eval->messages.size() + eval->judgments.size() + eval->calculations.size();
      row.us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    row.cpu_s += self_cpu_seconds() - cpu0;
    ++row.forms;
  }
  return true;
}

}  // namespace

bool run_catalog_latency(const appcore::FormService& service,
                         const CatalogLatencyOptions& options) {
  const forms::FormCatalog& catalog = service.catalog();
  std::printf(
      "== a. check + calculation + judgment over the whole catalog (FormService::evaluate)\n");
  std::printf(
      "   forms generated from the definitions; %zu forms per specific definition, %zu per\n"
      "   common-template disease; %zu timed calls per form after %zu warm-up calls; one thread\n",
      options.forms_per_definition, options.forms_per_disease, options.calls_per_form,
      options.warmup_calls);
  std::printf("  %-30s %6s %-22s %7s %7s %8s %7s\n", "definition", "forms",
              "judged: 1st outcome/other", "p50 us", "p99 us", "max us", "cpu us");
  std::size_t sink = 0;
  LatencyRow all;
  all.name = "all forms";
  for (const auto& def : catalog.definitions()) {
    LatencyRow row;
    row.name = def.id;
    row.title = def.title;
    if (!time_definition(service, def, options.forms_per_definition, 1000, options, row, sink))
      return false;
    print_latency_row(row);
    all.add(row);
  }
  // The common templates: each kind's master diseases without a specific form.
  std::map<std::string, LatencyRow> common;
  std::map<std::string, std::size_t> diseases;
  for (const auto& d : catalog.diseases()) {
    if (d.specific) continue;
    std::size_t& taken = diseases[d.kind];
    if (options.common_diseases && taken >= options.common_diseases) continue;
    const forms::FormDefinition* def = catalog.find(d.form_id);
    if (!def) return std::fprintf(stderr, "no form for %s\n", d.form_id.c_str()), false;
    LatencyRow& row = common[d.kind];
    if (!time_definition(service, *def, options.forms_per_disease, 5000 + taken * 10, options, row,
                         sink))
      return false;
    ++taken;
  }
  for (auto& [kind, row] : common) {
    row.name = kind + "-common (" + std::to_string(diseases[kind]) + " diseases)";
    print_latency_row(row);
    all.add(row);
  }
  all.first_outcome = "1st";
  print_latency_row(all);
  std::printf("  (checksum %zu)\n", sink);
  return true;
}

}  // namespace nanbyo::bench
