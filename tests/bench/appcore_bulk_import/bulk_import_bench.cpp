// Generates a CSV of N doctors (default 147,000, the seed's maximum: 約14万
// 難病指定医 + 約7,000 協力難病指定医; 5 % of the people also hold a 小慢
// designation, a second row of the same person) and imports it through AppCore
// with the production Argon2id and the real hash-chained audit log, then
// imports it a second time (nothing must be issued). Prints wall time, rows/s
// and peak RSS.
// With --prepare DIR it only writes the appliance (database, master key, the
// municipal administrator, five staff users) and the file into DIR for
// web_bulk_bench.py and concurrency_bench.py, which drive nanbyo-appcore's
// HTTP layer.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "appcore/core/app_core.h"
#include "appcore/core/doctor_fields.h"
#include "tests/bench/appcore_bench_support.h"

using namespace nanbyo;
using namespace nanbyo::appcore;
using nanbyo::bench::die;
using nanbyo::bench::must;

namespace {

// A 医療機関番号 of hospital `n` with a valid 検証番号 (the last digit).
std::string hospital_number(std::size_t n) {
  char base[16];
  std::snprintf(base, sizeof base, "13%07zu", n);
  for (char d = '0'; d <= '9'; ++d) {
    std::string number = std::string(base) + d;
    if (hospital_check_digit_ok(number)) return number;
  }
  die("no check digit");
}

// A distinct katakana name for person `n` (氏名カナ takes katakana only).
std::string kana_of(std::size_t n) {
  static const char* kDigits[] = {"ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ"};
  std::string out = "シテイイ ";
  for (char c : std::to_string(n)) out += kDigits[c - '0'];
  return out;
}

// `rows` rows: people with a 難病 designation, and for every 20th person a
// second row, its 小慢 designation (5 % of the people hold both programs).
std::string make_csv(std::size_t rows) {
  std::string csv =
      "\xEF\xBB\xBF氏名,氏名カナ,医籍登録番号,指定医種別,医療機関番号,医療機関名称,"
      "医療機関所在地,診療科,指定年月日,指定有効期限,指定医番号\r\n";
  csv.reserve(rows * 160);
  std::vector<std::string> hospitals;
  for (std::size_t h = 0; h < 8000; ++h) hospitals.push_back(hospital_number(h));
  char line[512];
  for (std::size_t i = 0, person = 0; i < rows; ++person) {
    const bool cooperating = person % 21 == 20;  // ~7,000 of 147,000
    const std::size_t h = person % 8000;
    std::snprintf(line, sizeof line,
                  "指定医 %zu郎,%s,%zu,%s,%s,第%zu病院,東京都千代田区%zu-1,"
                  "内科,2026-04-01,2031-03-31,13-%06zu\r\n",
                  person, kana_of(person).c_str(), 300000 + person,
                  cooperating ? "協力難病指定医" : "難病指定医", hospitals[h].c_str(), h, h,
                  person);
    csv += line;
    if (++i < rows && person % 20 == 0) {
      std::snprintf(line, sizeof line,
                    "指定医 %zu郎,%s,%zu,小慢指定医,%s,,,小児科,2026-04-01,2031-03-31,"
                    "13-S-%06zu\r\n",
                    person, kana_of(person).c_str(), 300000 + person, hospitals[h].c_str(), person);
      csv += line;
      ++i;
    }
  }
  return csv;
}

// Another writer beside the import (issue 12): the operator re-registers a
// municipality every 10 ms (one row and an audit record under the write lock);
// its latencies are the wait a login or a session behind an import's chunk sees.
class WriterProbe {
 public:
  WriterProbe(AppCore& core, const Principal& op)
      : thread_([this, &core, op] {
          while (!stop_) {
            auto start = std::chrono::steady_clock::now();
            must(core.register_municipality(op, Municipality{"131016", "千代田区"}));
            ms_.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count());
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
        }) {}
  // Stops and prints p50, p99 and max.
  void report(const char* when) {
    stop_ = true;
    thread_.join();
    std::sort(ms_.begin(), ms_.end());
    if (ms_.empty()) return;
    auto at = [&](double p) { return ms_[static_cast<std::size_t>(p * (ms_.size() - 1))]; };
    std::printf("  another writer %s: %zu writes, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", when,
                ms_.size(), at(0.5), at(0.99), ms_.back());
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<double> ms_;
  std::thread thread_;
};

long peak_rss_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--prepare") {
    const std::size_t rows = std::strtoul(argv[3], nullptr, 10);
    bench::BenchAppliance appliance("appcore-web-bench");
    const std::filesystem::path out(argv[2]);
    std::ofstream(out / "doctors.csv", std::ios::binary) << make_csv(rows);
    // Five security auditors with chosen (Argon2id) passwords: the other users
    // of the concurrency benchmark (run_appcore_concurrency_bench.sh).
    std::string staff;
    for (int i = 0; i < 5; ++i) {
      auto& core = *appliance.core;
      auto c = must(core.create_staff_user(appliance.op, Role::SecurityAuditor, "bench", "", ""));
      bench::activate(core, c);
      staff += (i ? ", \"" : "\"") + c.user_id + "\"";
    }
    appliance.core.reset();
    for (const char* f : {"appcore.db", "master.key"})
      std::filesystem::rename(appliance.dir / f, out / f);
    std::printf("{\"admin\": \"%s\", \"password\": \"Bench-Password-2026\", \"staff\": [%s]}\n",
                appliance.town.user_id.c_str(), staff.c_str());
    std::filesystem::remove_all(appliance.dir);
    return 0;
  }
  const std::size_t rows = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 147'000;
  bench::BenchAppliance appliance("appcore-bench");

  auto& core = appliance.core;

  const std::string csv = make_csv(rows);
  std::printf("file: %zu rows, %.1f MiB, UTF-8 with BOM\n", rows, csv.size() / 1048576.0);

  {
    WriterProbe alone(*core, appliance.op);
    std::this_thread::sleep_for(std::chrono::seconds(5));
    alone.report("alone, 5 s");
  }
  for (int pass = 1; pass <= 2; ++pass) {
    WriterProbe probe(*core, appliance.op);
    auto start = std::chrono::steady_clock::now();
    auto report = must(core->import_doctors(appliance.town, csv));
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "pass %d (%s): %.2f s wall, %.0f rows/s, issued %zu, designation added %zu, already "
        "registered %zu, invalid %zu, peak RSS %.1f MiB\n",
        pass, pass == 1 ? "first upload" : "same file again", s, rows / s, report.issued,
        report.designation_added, report.already_registered, report.invalid,
        peak_rss_kib() / 1024.0);
    probe.report("during it");
    if (report.invalid != 0 || (pass == 1 && report.issued + report.designation_added != rows) ||
        (pass == 2 && report.issued + report.designation_added != 0))
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
