#include "gateway/privileges/service_user.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "pki/errno_text.h"

namespace nanbyo::privileges {
namespace {

bool already(const ServiceUser& user) {
  uid_t ruid, euid, suid;
  gid_t rgid, egid, sgid;
  getresuid(&ruid, &euid, &suid);
  getresgid(&rgid, &egid, &sgid);
  return ruid == user.uid && euid == user.uid && suid == user.uid && rgid == user.gid &&
         egid == user.gid && sgid == user.gid;
}

}  // namespace

Result<ServiceUser> find_service_user(const std::string& name) {
  if (name.empty()) return fail("--user: empty user name");
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  const int error = getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (error != 0)
    return fail("--user " + name + ": cannot read the user database: " + errno_text(error));
  if (found == nullptr) return fail("--user " + name + ": no such user");
  if (found->pw_uid == 0) return fail("--user " + name + ": refusing to run as root");
  return ServiceUser{name, found->pw_uid, found->pw_gid};
}

Result<void> become(const ServiceUser& user) {
  if (already(user)) return {};
  if (geteuid() != 0) {
    return fail("switching to user " + user.name + " needs root; running as uid " +
                std::to_string(geteuid()));
  }
  if (initgroups(user.name.c_str(), user.gid) != 0) {
    return fail("cannot set the groups of " + user.name + ": " + errno_text(errno));
  }
  if (setresgid(user.gid, user.gid, user.gid) != 0) {
    return fail("cannot switch to group " + std::to_string(user.gid) + ": " + errno_text(errno));
  }
  if (setresuid(user.uid, user.uid, user.uid) != 0) {
    return fail("cannot switch to user " + user.name + ": " + errno_text(errno));
  }
  if (setuid(0) == 0 || seteuid(0) == 0) return fail("root could be regained after the switch");
  return {};
}

}  // namespace nanbyo::privileges
