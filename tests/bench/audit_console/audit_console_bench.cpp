// Issue 17 benchmark: the auditor's console over a million audit records.
//
// Writes a gateway log and an application core log as the appliance would
// (rotated at 64 MiB, 90 days of traffic from 500 hospitals, 3,000 PCs and
// 2,000 users), builds the console's index, then times what one search page
// does (catch up with the logs, one page of 50, the count) for the console's
// filters, p50 and p99. The peer is what an auditor has without the console:
// a filtered read of the whole log set (read_set, as `nanbyoctl audit show`),
// timed for the same filter.
//
// usage: audit_console_bench [--records N] [--queries N] [--dir DIR]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "appcore/audit_console/audit_index.h"
#include "pki/audit/audit_log.h"
#include "pki/audit/audit_reader.h"

namespace {

using namespace nanbyo;
namespace fs = std::filesystem;
using Wall = std::chrono::steady_clock;

class StepClock final : public nanbyo::Clock {
 public:
  TimePoint now() const override { return now_; }
  void set(std::int64_t t) { now_ = TimePoint(std::chrono::seconds(t)); }

 private:
  TimePoint now_{};
};

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string hospital(int i) {
  char text[16];
  std::snprintf(text, sizeof text, "13%08d", i);
  return text;
}
std::string serial(int i) {
  char text[24];
  std::snprintf(text, sizeof text, "5A%06X0C", i);
  return text;
}
std::string user(int i) {
  char text[16];
  std::snprintf(text, sizeof text, "A%07d", i);
  return text;
}

// One record of the mix: about 60 % gateway connections and refusals, 40 %
// application operations, with a few alerts of each kind.
struct Generator {
  std::mt19937_64 random{17};
  int pick(int n) { return static_cast<int>(random() % static_cast<std::uint64_t>(n)); }

  audit::AuditEvent gateway() {
    const int pc = pick(3000);
    const std::string h = hospital(pc % 500);
    const int roll = pick(1000);
    std::string event = roll < 450   ? "connect"
                        : roll < 900 ? "disconnect"
                        : roll < 960 ? "tls-reject"
                        : roll < 990 ? "request-reject"
                                     : "inspection-alert";
    audit::AuditEvent e{
        event,
        event == "connect" || event == "disconnect" ? audit::Outcome::Allow : audit::Outcome::Deny,
        serial(pc),
        "",
        "10.1." + std::to_string(pc / 250) + "." + std::to_string(pc % 250) + ":443" +
            std::to_string(pick(10)),
        {{"listener", "hospital"}, {"hospital", h}, {"terminal", "pc-" + std::to_string(pc)}}};
    if (event == "inspection-alert") {
      static const char* families[] = {"sqli", "xss", "lfi", "protocol", "rce"};
      e.detail["families"] = families[pick(5)];
      e.detail["severity"] = "CRITICAL";
      e.detail["rules"] = "942100";
    }
    if (event == "tls-reject") e.detail["reason"] = "certificate revoked";
    return e;
  }

  audit::AuditEvent application() {
    const int u = pick(2000);
    const int pc = u % 3000;
    const int roll = pick(1000);
    std::string event = roll < 150   ? "login"
                        : roll < 600 ? "form-view"
                        : roll < 700 ? "access-key-lookup"
                        : roll < 900 ? "form-save"
                        : roll < 998 ? "logout"
                                     : "illicit-operation";
    audit::AuditEvent e{event,
                        audit::Outcome::Allow,
                        user(u),
                        "F" + std::to_string(pick(1000000)),
                        hospital(pc % 500) + "/pc-" + std::to_string(pc),
                        {{"cert-serial", serial(pc)}}};
    if (event == "login" && pick(20) == 0) e.outcome = audit::Outcome::Deny;
    if (event == "illicit-operation") {
      e.outcome = audit::Outcome::Deny;
      e.detail["rule"] = pick(2) ? "new-terminal" : "forms-burst";
    }
    return e;
  }
};

bool write_logs(const fs::path& dir, std::size_t records, std::int64_t start, std::int64_t span) {
  StepClock clock;
  auto gw =
      audit::AuditLog::open(dir / "gateway" / "audit.jsonl", clock, {.rotate_bytes = 64ull << 20});
  auto app =
      audit::AuditLog::open(dir / "appcore" / "audit.jsonl", clock, {.rotate_bytes = 64ull << 20});
  if (!gw || !app) return false;
  Generator g;
  std::vector<audit::AuditEvent> gw_batch, app_batch;
  const std::size_t batch = 10000;
  for (std::size_t i = 0; i < records; i += batch) {
    clock.set(start + static_cast<std::int64_t>(i) * span / static_cast<std::int64_t>(records));
    gw_batch.clear();
    app_batch.clear();
    for (std::size_t j = i; j < std::min(records, i + batch); ++j) {
      if (g.pick(10) < 6) {
        gw_batch.push_back(g.gateway());
      } else {
        app_batch.push_back(g.application());
      }
    }
    if (!(*gw)->append_batch(gw_batch) || !(*app)->append_batch(app_batch)) return false;
  }
  return true;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"the auditor's console over a million audit records (issue 17)"};
  std::size_t records = 1000000, queries = 200;
  std::string dir_text;
  app.add_option("--records", records, "records in the two logs together")->capture_default_str();
  app.add_option("--queries", queries, "timed searches per filter")->capture_default_str();
  app.add_option("--dir", dir_text, "where the logs and the index go (default: a temp dir)");
  CLI11_PARSE(app, argc, argv);
  const fs::path dir = dir_text.empty() ? fs::temp_directory_path() /
                                              ("audit-console-bench-" + std::to_string(::getpid()))
                                        : fs::path(dir_text);
  fs::create_directories(dir / "gateway");
  fs::create_directories(dir / "appcore");
  const std::int64_t now = 1'796'000'000, span = 90LL * 86400;

  auto t0 = Wall::now();
  if (!write_logs(dir, records, now - span, span)) {
    std::fprintf(stderr, "cannot write the logs in %s\n", dir.c_str());
    return 1;
  }
  std::uintmax_t log_bytes = 0;
  for (const auto& f : fs::recursive_directory_iterator(dir)) {
    if (f.is_regular_file()) log_bytes += f.file_size();
  }
  std::printf("logs: %zu records, %.0f MiB in %s (written in %.1f s)\n", records,
              static_cast<double>(log_bytes) / (1 << 20), dir.c_str(),
              std::chrono::duration<double>(Wall::now() - t0).count());

  auto index = console::AuditIndex::open(
      dir / "audit-index.sqlite",
      {{"gateway", dir / "gateway" / "audit.jsonl", console::Writer::Gateway},
       {"appcore", dir / "appcore" / "audit.jsonl", console::Writer::ApplicationCore}});
  if (!index) {
    std::fprintf(stderr, "%s\n", index.error().message.c_str());
    return 1;
  }
  t0 = Wall::now();
  double cpu0 = cpu_seconds();
  auto indexed = (*index)->catch_up();
  if (!indexed) {
    std::fprintf(stderr, "%s\n", indexed.error().message.c_str());
    return 1;
  }
  const double index_s = std::chrono::duration<double>(Wall::now() - t0).count();
  std::printf("index: %llu records in %.1f s (%.0f records/s, CPU %.1f us/record), %.0f MiB\n",
              static_cast<unsigned long long>(*indexed), index_s,
              static_cast<double>(*indexed) / index_s,
              (cpu_seconds() - cpu0) / static_cast<double>(*indexed) * 1e6,
              static_cast<double>(fs::file_size(dir / "audit-index.sqlite")) / (1 << 20));

  struct Kind {
    const char* name;
    std::function<console::AuditQuery(Generator&)> make;
  };
  std::vector<Kind> kinds{
      {"no filter (newest page)", [](Generator&) { return console::AuditQuery{}; }},
      {"user",
       [](Generator& g) {
         console::AuditQuery q;
         q.user = user(g.pick(2000));
         return q;
       }},
      {"hospital",
       [](Generator& g) {
         console::AuditQuery q;
         q.hospital = hospital(g.pick(500));
         return q;
       }},
      {"terminal serial",
       [](Generator& g) {
         console::AuditQuery q;
         q.terminal = serial(g.pick(3000));
         return q;
       }},
      {"failed logins",
       [](Generator&) {
         console::AuditQuery q;
         q.event = "login";
         q.outcome = audit::Outcome::Deny;
         return q;
       }},
      {"alerts",
       [](Generator&) {
         console::AuditQuery q;
         q.alerts_only = true;
         return q;
       }},
      {"alert family sqli",
       [](Generator&) {
         console::AuditQuery q;
         q.family = "sqli";
         return q;
       }},
      {"one day + hospital",
       [now, span](Generator& g) {
         console::AuditQuery q;
         q.since = now - span + g.pick(89) * 86400LL;
         q.until = *q.since + 86400;
         q.hospital = hospital(g.pick(500));
         return q;
       }},
      {"refusals in a week",
       [now](Generator&) {
         console::AuditQuery q;
         q.since = now - 7 * 86400LL;
         q.outcome = audit::Outcome::Deny;
         return q;
       }},
  };
  std::printf("\none search page = catch up + 50 records + count (cap 10,000); %zu searches each\n",
              queries);
  std::printf("  %-26s %9s %9s %9s %11s\n", "filter", "p50 ms", "p99 ms", "max ms", "CPU ms/page");
  Generator g;
  std::vector<double> all;
  double user_p50 = 0;
  for (const auto& kind : kinds) {
    std::vector<double> ms;
    cpu0 = cpu_seconds();
    for (std::size_t i = 0; i < queries; ++i) {
      auto q = kind.make(g);
      const auto start = Wall::now();
      auto caught = (*index)->catch_up();
      auto page = (*index)->search(q);
      auto count = (*index)->count(q, 10000);
      if (!caught || !page || !count) {
        std::fprintf(stderr, "search failed\n");
        return 1;
      }
      ms.push_back(std::chrono::duration<double, std::milli>(Wall::now() - start).count());
    }
    const double cpu = (cpu_seconds() - cpu0) / static_cast<double>(queries) * 1e3;
    all.insert(all.end(), ms.begin(), ms.end());
    if (std::string(kind.name) == "user") user_p50 = percentile(ms, 0.5);
    std::printf("  %-26s %9.2f %9.2f %9.2f %11.2f\n", kind.name, percentile(ms, 0.5),
                percentile(ms, 0.99), *std::max_element(ms.begin(), ms.end()), cpu);
  }
  std::printf("  %-26s %9.2f %9.2f %9.2f\n", "all filters", percentile(all, 0.5),
              percentile(all, 0.99), *std::max_element(all.begin(), all.end()));

  // The peer: the same user filter by reading the whole set, as nanbyoctl audit show does.
  std::vector<double> scan_ms;
  for (int i = 0; i < 3; ++i) {
    const std::string who = user(g.pick(2000));
    const auto start = Wall::now();
    std::size_t found = 0;
    auto read = audit::read_set(dir / "appcore" / "audit.jsonl", {},
                                [&](const std::string&, const audit::AuditRecord& r) {
                                  if (r.actor == who) ++found;
                                });
    if (!read) {
      std::fprintf(stderr, "%s\n", read.error().message.c_str());
      return 1;
    }
    scan_ms.push_back(std::chrono::duration<double, std::milli>(Wall::now() - start).count());
  }
  const double scan = percentile(scan_ms, 0.5);
  std::printf(
      "\npeer: one user's records by reading the application log set (read_set, as nanbyoctl "
      "audit show): %.0f ms median of 3; the console's user search p50 is %.0fx faster\n",
      scan, scan / user_p50);
  if (dir_text.empty()) fs::remove_all(dir);
  return 0;
}
