// Giving privileges up (issue 13). Each drop happens in a forked child, since it cannot be
// undone; the child reports through its exit status which check failed.
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <string>

#include "gateway/privileges/capabilities.h"
#include "gateway/privileges/drop_privileges.h"
#include "gateway/privileges/syscall_filter.h"

using namespace nanbyo::privileges;

namespace {

// Runs `body` in a child; its return value is the exit status (0: every check held).
int in_child(const std::function<int()>& body) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) _exit(body());
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

// The hex value of a line of /proc/self/status, e.g. "CapEff".
std::string status_field(const std::string& name) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(name + ":"))
      return line.substr(line.find_first_not_of(" \t", name.size() + 1));
  }
  return "?";
}

constexpr const char* kNone = "0000000000000000";

}  // namespace

TEST_CASE("root is never a service user, nor is an unknown name", "[privileges]") {
  auto root = find_service_user("root");
  REQUIRE_FALSE(root);
  CHECK(root.error().message == "--user root: refusing to run as root");
  auto unknown = find_service_user("no-such-user-nanbyo");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message == "--user no-such-user-nanbyo: no such user");
}

TEST_CASE("after the drop the process holds no capability and cannot become root", "[privileges]") {
  if (geteuid() != 0) {
    SUCCEED("SKIP: switching users needs root (CI runs as root)");
    return;
  }
  auto nobody = find_service_user("nobody");
  REQUIRE(nobody);
  const int result = in_child([&] {
    if (!drop_privileges({nobody.value(), true})) return 1;
    if (getuid() != nobody->uid || geteuid() != nobody->uid) return 2;
    for (const char* set : {"CapEff", "CapPrm", "CapInh", "CapBnd", "CapAmb"}) {
      if (status_field(set) != kNone) return 3;
    }
    if (status_field("NoNewPrivs") != "1") return 4;
    if (status_field("Seccomp") != "2") return 5;  // filter mode
    if (setuid(0) == 0) return 6;
    return 0;
  });
  CHECK(result == 0);
}

TEST_CASE("an unprivileged process drops what it has and keeps running as itself", "[privileges]") {
  const uid_t me = getuid();
  const int result = in_child([&] {
    if (geteuid() == 0 && setresuid(65534, 65534, 65534) != 0) return 1;
    if (!drop_privileges({std::nullopt, false})) return 2;
    if (status_field("CapEff") != kNone || status_field("CapPrm") != kNone) return 3;
    if (status_field("NoNewPrivs") != "1") return 4;
    return 0;
  });
  CHECK(result == 0);
  CHECK(getuid() == me);
}

TEST_CASE("keeping one capability keeps exactly that one", "[privileges]") {
  if (geteuid() != 0) {
    SUCCEED("SKIP: holding CAP_NET_ADMIN needs root");
    return;
  }
  const int result = in_child([] {
    if (!limit_capabilities({CAP_NET_ADMIN})) return 1;
    const std::string net_admin = "0000000000001000";  // bit 12
    if (status_field("CapEff") != net_admin || status_field("CapPrm") != net_admin) return 2;
    if (status_field("CapBnd") != net_admin) return 3;
    return 0;
  });
  CHECK(result == 0);
}

TEST_CASE("the syscall filter makes denied calls fail with EPERM", "[privileges]") {
  const int result = in_child([] {
    if (!forbid_new_privileges()) return 1;
    if (!install_syscall_filter()) return 2;
    // unshare(0) changes nothing but is denied outright.
    if (syscall(SYS_unshare, 0) != -1 || errno != EPERM) return 3;
    char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
    if (execve("/bin/true", argv, nullptr) != -1 || errno != EPERM) return 4;
    if (getpid() <= 0) return 5;  // everything else still works
    return 0;
  });
  CHECK(result == 0);
  CHECK_FALSE(denied_syscalls().empty());
}
