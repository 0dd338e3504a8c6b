// The unprivileged account a daemon runs as after start-up (`--user`, e.g. _nanbyo-gw).
#pragma once

#include <sys/types.h>

#include <string>

#include "pki/result.h"

namespace nanbyo::privileges {

struct ServiceUser {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

// Looks the account up (passwd database); refuses unknown names and root.
Result<ServiceUser> find_service_user(const std::string& name);

// Sets the supplementary groups from the group database (so group-readable files such as the
// CRL stay readable), then the real, effective and saved gid and uid. Needs root (CAP_SETUID,
// CAP_SETGID); a process that already runs as the user succeeds without change. Checks that
// root cannot be regained.
Result<void> become(const ServiceUser& user);

}  // namespace nanbyo::privileges
