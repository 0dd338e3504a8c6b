// A helper process for one test (the SMTP sink): started with its stdout on a
// pipe, its first line read, and stopped by its PID (SIGTERM) at the end.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace nanbyo::testing {

class Spawned {
 public:
  // Null with `why_not` when the program cannot start or prints nothing in 10 s.
  static std::unique_ptr<Spawned> start(const std::vector<std::string>& argv,
                                        std::string& first_line, std::string& why_not);
  ~Spawned();
  Spawned(const Spawned&) = delete;
  Spawned& operator=(const Spawned&) = delete;

 private:
  explicit Spawned(pid_t pid) : pid_(pid) {}
  pid_t pid_;
};

}  // namespace nanbyo::testing
