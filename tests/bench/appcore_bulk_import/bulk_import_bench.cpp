// Generates a CSV of N doctors (default 147,000, the seed's maximum: 約14万
// 難病指定医 + 約7,000 協力難病指定医) and imports it through AppCore with the
// production Argon2id and the real hash-chained audit log, then imports it a
// second time (nothing must be issued). Prints wall time, rows/s and peak RSS.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "appcore/core/app_core.h"
#include "tests/bench/appcore_bench_support.h"

using namespace nanbyo;
using namespace nanbyo::appcore;
using nanbyo::bench::die;
using nanbyo::bench::must;

namespace {

std::string make_csv(std::size_t rows) {
  std::string csv =
      "\xEF\xBB\xBF氏名,氏名カナ,医籍登録番号,指定医種別,医療機関番号,医療機関名称,"
      "医療機関所在地,診療科,指定年月日,指定有効期限,指定医番号\r\n";
  csv.reserve(rows * 160);
  char line[512];
  for (std::size_t i = 0; i < rows; ++i) {
    const bool cooperating = i % 21 == 20;  // ~7,000 of 147,000
    std::snprintf(line, sizeof line,
                  "指定医 %zu郎,シテイイ %zu,%zu,%s,13%08zu,第%zu病院,東京都千代田区%zu-1,"
                  "内科,2026-04-01,2031-03-31,13-%06zu\r\n",
                  i, i, 300000 + i, cooperating ? "協力難病指定医" : "難病指定医", i % 8000,
                  i % 8000, i % 8000, i);
    csv += line;
  }
  return csv;
}

long peak_rss_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t rows = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 147'000;
  bench::BenchAppliance appliance("appcore-bench");
  auto& core = appliance.core;

  const std::string csv = make_csv(rows);
  std::printf("file: %zu rows, %.1f MiB, UTF-8 with BOM\n", rows, csv.size() / 1048576.0);

  for (int pass = 1; pass <= 2; ++pass) {
    auto start = std::chrono::steady_clock::now();
    auto report = must(core->import_doctors(appliance.town, csv));
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "pass %d (%s): %.2f s wall, %.0f rows/s, issued %zu, already registered %zu, invalid %zu, "
        "peak RSS %.1f MiB\n",
        pass, pass == 1 ? "first upload" : "same file again", s, rows / s, report.issued,
        report.already_registered, report.invalid, peak_rss_kib() / 1024.0);
    if (report.invalid != 0 || (pass == 1 && report.issued != rows) ||
        (pass == 2 && report.issued != 0))
      die("unexpected result counts");
  }
  std::printf("database %.1f MiB, audit log %.1f MiB (%llu records)\n",
              std::filesystem::file_size(appliance.config.database) / 1048576.0,
              std::filesystem::file_size(appliance.audit_path()) / 1048576.0,
              static_cast<unsigned long long>(appliance.log->last_seq()));
  core.reset();
  std::filesystem::remove_all(appliance.dir);
  return 0;
}
