// The one-way step of a daemon from start-up to serving (issue 13, privilege separation):
// after it has bound its sockets and opened its files, it gives up every privilege.
#pragma once

#include <optional>

#include "gateway/privileges/service_user.h"
#include "pki/result.h"

namespace nanbyo::privileges {

struct DropPlan {
  std::optional<ServiceUser> user;  // switch to it (needs root); none: stay who we are
  bool syscall_filter = true;       // install_syscall_filter() at the end
};

// In this order: the ambient and bounding sets are cleared (while CAP_SETPCAP may still be
// held), the user is switched, the remaining capability sets are cleared, no_new_privs is
// set, the syscall filter installed. Call it before any thread starts: capability sets and
// no_new_privs are per thread. A failure leaves the process half-dropped: exit.
Result<void> drop_privileges(const DropPlan& plan);

}  // namespace nanbyo::privileges
