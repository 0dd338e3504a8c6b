// Linux capability sets of the calling process (issue 13, privilege separation).
// Raw capget/capset/prctl: the few calls we need do not justify libcap.
//
// Capability sets are per thread: call these before any other thread starts, so that every
// thread inherits the reduced sets.
#pragma once

#include <vector>

#include "pki/result.h"

namespace nanbyo::privileges {

// Clears the ambient set and drops everything but `keep` from the bounding set, leaving the
// effective set alone (a process about to switch users still needs CAP_SETUID/CAP_SETGID).
// Dropping from the bounding set needs CAP_SETPCAP: without it (e.g. a systemd unit that
// already narrowed the bounding set) the bounding set is left as it is and this is no error.
Result<void> narrow_inherited_capabilities(const std::vector<int>& keep);

// Keeps only `keep` (CAP_* numbers from <linux/capability.h>) in the effective and permitted
// sets and in the bounding set (as far as narrow_inherited_capabilities may); clears the
// inheritable and ambient sets.
Result<void> limit_capabilities(const std::vector<int>& keep);

// limit_capabilities({}): the process keeps no capability at all.
Result<void> drop_all_capabilities();

// PR_SET_NO_NEW_PRIVS: no execve() can ever grant privileges again (setuid binaries, file
// capabilities). Also the precondition of an unprivileged seccomp filter.
Result<void> forbid_new_privileges();

}  // namespace nanbyo::privileges
