#include "spawned.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace nanbyo::testing {

std::unique_ptr<Spawned> Spawned::start(const std::vector<std::string>& argv,
                                        std::string& first_line, std::string& why_not) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    why_not = "pipe failed";
    return nullptr;
  }
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed test
    if (dup2(fds[1], 1) < 0) _exit(126);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  std::string line;
  pollfd p{fds[0], POLLIN, 0};
  while (pid > 0 && line.find('\n') == std::string::npos && poll(&p, 1, 10'000) > 0) {
    char buffer[256];
    ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    line.append(buffer, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  if (pid <= 0 || line.find('\n') == std::string::npos) {
    why_not = argv[0] + " did not start";
    if (pid > 0) kill(pid, SIGTERM), waitpid(pid, nullptr, 0);
    return nullptr;
  }
  first_line = line.substr(0, line.find('\n'));
  return std::unique_ptr<Spawned>(new Spawned(pid));
}

Spawned::~Spawned() {
  kill(pid_, SIGTERM);  // the process we started, nothing else
  waitpid(pid_, nullptr, 0);
}

}  // namespace nanbyo::testing
