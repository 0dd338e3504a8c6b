#include "gateway/privileges/syscall_filter.h"

#include <seccomp.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace nanbyo::privileges {
namespace {

struct SeccompRelease {
  void operator()(void* ctx) const { seccomp_release(static_cast<scmp_filter_ctx>(ctx)); }
};
using SeccompFilter = std::unique_ptr<void, SeccompRelease>;

std::string error_text(int rc) {
  return std::strerror(rc < 0 ? -rc : rc);
}

}  // namespace

const std::vector<std::string>& denied_syscalls() {
  static const std::vector<std::string> names{
      // running other programs
      "execve", "execveat",
      // @clock
      "adjtimex", "clock_adjtime", "clock_adjtime64", "clock_settime", "clock_settime64",
      "settimeofday", "stime",
      // @cpu-emulation
      "modify_ldt", "vm86", "vm86old",
      // @debug
      "lookup_dcookie", "perf_event_open", "pidfd_getfd", "ptrace", "process_vm_readv",
      "process_vm_writev", "kcmp",
      // @module
      "delete_module", "finit_module", "init_module", "create_module", "query_module",
      // @mount
      "chroot", "fsconfig", "fsmount", "fsopen", "fspick", "mount", "mount_setattr", "move_mount",
      "open_tree", "pivot_root", "umount", "umount2",
      // @obsolete
      "_sysctl", "afs_syscall", "bdflush", "get_kernel_syms", "getpmsg", "putpmsg", "sysfs",
      "tuxcall", "uselib", "ustat", "vserver",
      // @raw-io
      "ioperm", "iopl", "pciconfig_iobase", "pciconfig_read", "pciconfig_write",
      // @reboot, @swap
      "kexec_file_load", "kexec_load", "reboot", "swapoff", "swapon",
      // @privileged calls with no use in the gateway
      "acct", "bpf", "fanotify_init", "nfsservctl", "open_by_handle_at", "name_to_handle_at",
      "quotactl", "setdomainname", "sethostname", "syslog", "vhangup",
      // namespaces, keyrings, userfaultfd, io_uring (which would bypass this filter)
      "setns", "unshare", "add_key", "keyctl", "request_key", "userfaultfd", "io_uring_setup",
      "io_uring_enter", "io_uring_register"};
  return names;
}

Result<void> install_syscall_filter() {
  SeccompFilter filter(seccomp_init(SCMP_ACT_ALLOW));
  if (!filter) return fail("cannot create a seccomp filter");
  // Every thread gets the filter, not only the caller.
  if (int rc = seccomp_attr_set(filter.get(), SCMP_FLTATR_CTL_TSYNC, 1); rc != 0) {
    return fail("seccomp: cannot synchronise threads: " + error_text(rc));
  }
  for (const auto& name : denied_syscalls()) {
    const int number = seccomp_syscall_resolve_name(name.c_str());
    if (number == __NR_SCMP_ERROR) continue;  // not on this architecture
    if (int rc = seccomp_rule_add(filter.get(), SCMP_ACT_ERRNO(EPERM), number, 0); rc != 0) {
      return fail("seccomp: cannot deny " + name + ": " + error_text(rc));
    }
  }
  if (int rc = seccomp_load(filter.get()); rc != 0) {
    return fail("seccomp: cannot load the filter: " + error_text(rc));
  }
  return {};
}

}  // namespace nanbyo::privileges
