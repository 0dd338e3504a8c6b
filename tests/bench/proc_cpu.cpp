#include "tests/bench/proc_cpu.h"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace nanbyo::bench {
namespace {

// Fields 14 and 15 of a /proc stat line (utime, stime), counted after the
// ")" that ends the command name, which may itself contain spaces.
double stat_cpu_seconds(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return 0;
  auto close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 0; i < 13 && fields >> field; ++i) {
    if (i == 11) utime = std::stoull(field);
    if (i == 12) stime = std::stoull(field);
  }
  static const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return static_cast<double>(utime + stime) / ticks;
}

}  // namespace

MachineCpu machine_cpu_seconds() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                     steal = 0;
  in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  static const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return {static_cast<double>(user + nice + system + irq + softirq) / ticks,
          static_cast<double>(steal) / ticks};
}

double process_cpu_seconds(pid_t pid) {
  return stat_cpu_seconds("/proc/" + std::to_string(pid) + "/stat");
}

double thread_cpu_seconds(pid_t pid, pid_t tid) {
  return stat_cpu_seconds("/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) +
                          "/stat");
}

std::vector<pid_t> thread_ids(pid_t pid) {
  std::vector<pid_t> tids;
  std::string dir = "/proc/" + std::to_string(pid) + "/task";
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') tids.push_back(static_cast<pid_t>(std::stol(e->d_name)));
    }
    closedir(d);
  }
  return tids;
}

std::string thread_name(pid_t pid, pid_t tid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

double WatchedGroup::cpu_seconds() const {
  double total = 0;
  for (pid_t pid : pids) total += process_cpu_seconds(pid);
  return total;
}

std::map<pid_t, double> WatchedGroup::thread_cpu_seconds() const {
  std::map<pid_t, double> out;
  if (!per_thread) return out;
  for (pid_t pid : pids) {
    for (pid_t tid : thread_ids(pid)) out[tid] = bench::thread_cpu_seconds(pid, tid);
  }
  return out;
}

WatchedGroup parse_watch(const std::string& spec) {
  auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0)
    throw std::invalid_argument("--watch wants NAME=PID[,PID...]");
  WatchedGroup group;
  group.name = spec.substr(0, eq);
  std::istringstream list(spec.substr(eq + 1));
  std::string item;
  while (std::getline(list, item, ',')) {
    if (item.empty()) continue;
    group.pids.push_back(static_cast<pid_t>(std::stol(item)));
  }
  if (group.pids.empty()) throw std::invalid_argument("--watch " + spec + ": no PID");
  return group;
}

}  // namespace nanbyo::bench
