// The network-facing gateway's own seccomp filter (issue 13), installed after the privilege
// drop. The systemd unit's SystemCallFilter=@system-service is the allow-list; this filter is
// the same boundary for a gateway started without systemd, written as the deny-list of what
// @system-service leaves out (mount, modules, reboot, swap, clock, raw I/O, debugging,
// obsolete calls, namespaces, keyrings, BPF, io_uring) plus execve: the gateway never runs
// another program. Denied calls fail with EPERM rather than killing the process, so a library
// probing an optional call keeps working.
//
// libseccomp (Debian's libseccomp2) builds the BPF program: it knows each architecture's
// syscall numbers, including the x32/i386 ABIs a hand-written filter tends to forget.
#pragma once

#include <string>
#include <vector>

#include "pki/result.h"

namespace nanbyo::privileges {

// The names denied; those this architecture does not have are skipped.
const std::vector<std::string>& denied_syscalls();

// Needs no_new_privs (forbid_new_privileges) or CAP_SYS_ADMIN; applies to every thread.
Result<void> install_syscall_filter();

}  // namespace nanbyo::privileges
