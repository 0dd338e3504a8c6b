#include "tests/bench/forms/bench_measure.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace nanbyo::bench {

bool ChildRun::exited_with(int code) const {
  return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

ChildRun run_child(const std::vector<std::string>& argv, const std::filesystem::path& output_file) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ChildRun r;
  std::fflush(stdout);  // else the child's copy of the buffer is printed twice
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    if (!std::freopen(output_file.c_str(), "w", stdout)) _exit(127);
    if (dup2(fileno(stdout), STDERR_FILENO) < 0) _exit(127);
    execv(args[0], args.data());
    _exit(127);
  }
  rusage ru{};
  if (pid < 0 || wait4(pid, &r.status, 0, &ru) != pid) return r;
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cpu_s = seconds_of(ru.ru_utime) + seconds_of(ru.ru_stime);
  r.max_rss_kib = ru.ru_maxrss;
  return r;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace nanbyo::bench
