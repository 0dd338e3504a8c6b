// Small measuring helpers shared by the forms benchmark's parts: this
// process's CPU time, percentiles, and a child process timed with wait4.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace nanbyo::bench {

inline double seconds_of(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// user + system CPU seconds of this process (all its threads).
inline double self_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return seconds_of(ru.ru_utime) + seconds_of(ru.ru_stime);
}

// The value at fraction `p` (0..1) of an ascending, non-empty vector.
inline double percentile(const std::vector<double>& sorted, double p) {
  const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

struct ChildRun {
  int status = -1;
  double wall_s = 0, cpu_s = 0;
  long max_rss_kib = 0;
  bool exited_with(int code) const;
};

// Runs argv[0] with its arguments (fork + exec, stdout and stderr to
// `output_file`) and waits: wall time, the child's own CPU and peak RSS.
ChildRun run_child(const std::vector<std::string>& argv, const std::filesystem::path& output_file);

std::string slurp(const std::filesystem::path& p);

}  // namespace nanbyo::bench
