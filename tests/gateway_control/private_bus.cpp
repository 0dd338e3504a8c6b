#include "private_bus.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

namespace nanbyo::testing {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDaemon = "/usr/bin/dbus-daemon";

void write_config(const fs::path& config, const fs::path& socket, const fs::path& policy) {
  std::ofstream out(config);
  out << R"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=)"
      << socket.string() << R"(</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
)";
  if (!policy.empty()) out << "  <include>" << policy.string() << "</include>\n";
  out << "</busconfig>\n";
}

// The first line dbus-daemon prints on `fd`, waiting at most 10 s.
std::string read_address(int fd) {
  std::string line;
  pollfd p{fd, POLLIN, 0};
  while (line.find('\n') == std::string::npos && poll(&p, 1, 10'000) > 0) {
    char buffer[256];
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    line.append(buffer, static_cast<std::size_t>(n));
  }
  return line.substr(0, line.find('\n'));
}

}  // namespace

std::unique_ptr<PrivateBus> PrivateBus::start(const fs::path& dir, std::string& why_not,
                                              const fs::path& policy) {
  if (access(kDaemon, X_OK) != 0) {
    why_not = std::string(kDaemon) + " is missing (Debian package dbus-daemon)";
    return nullptr;
  }
  const fs::path socket = dir / "bus";
  const fs::path config = dir / "bus.conf";
  write_config(config, socket, policy);
  const std::string config_arg = "--config-file=" + config.string();
  const std::string log_path = (dir / "bus.log").string();

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    why_not = "pipe failed";
    return nullptr;
  }
  pid_t pid = fork();
  if (pid == 0) {
    // fd 3 (without O_CLOEXEC) is where the daemon prints its address.
    if (fds[1] == 3 ? fcntl(3, F_SETFD, 0) < 0 : dup2(fds[1], 3) < 0) _exit(126);
    // Its complaints (e.g. it cannot raise the fd limit) go to a log beside the socket.
    int null = open("/dev/null", O_RDWR);
    int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (null < 0 || log < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(log, 2) < 0)
      _exit(126);
    execl(kDaemon, kDaemon, config_arg.c_str(), "--nofork", "--print-address=3",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  std::string address = pid > 0 ? read_address(fds[0]) : "";
  close(fds[0]);
  if (address.empty()) {
    why_not = "dbus-daemon did not start (see " + log_path + ")";
    if (pid > 0) kill(pid, SIGTERM), waitpid(pid, nullptr, 0);
    return nullptr;
  }
  // Let a test call as another uid (the policy above admits every uid).
  chmod(dir.c_str(), 0755);
  chmod(socket.c_str(), 0777);
  return std::unique_ptr<PrivateBus>(new PrivateBus(pid, address));
}

PrivateBus::~PrivateBus() {
  kill(pid_, SIGTERM);  // the daemon we started, nothing else
  waitpid(pid_, nullptr, 0);
}

}  // namespace nanbyo::testing
