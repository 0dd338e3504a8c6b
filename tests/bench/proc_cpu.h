// CPU time of other processes, read from /proc, so that a run reports the
// server's CPU per request measured over exactly the load client's window.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace nanbyo::bench {

// user + system time in seconds: of a whole process (all its threads) or one thread.
double process_cpu_seconds(pid_t pid);
double thread_cpu_seconds(pid_t pid, pid_t tid);
std::vector<pid_t> thread_ids(pid_t pid);
std::string thread_name(pid_t pid, pid_t tid);

// The whole machine's CPU time in seconds, from the first line of /proc/stat:
// busy (user, nice, system, irq, softirq), and steal by the hypervisor.
struct MachineCpu {
  double busy = 0;
  double steal = 0;
};
MachineCpu machine_cpu_seconds();

// A named group of processes ("nginx" = master + workers), from "NAME=PID[,PID...]".
struct WatchedGroup {
  std::string name;
  std::vector<pid_t> pids;
  bool per_thread = false;

  double cpu_seconds() const;
  std::map<pid_t, double> thread_cpu_seconds() const;  // tid -> seconds, when per_thread
};

// Throws std::invalid_argument on a malformed spec.
WatchedGroup parse_watch(const std::string& spec);

}  // namespace nanbyo::bench
