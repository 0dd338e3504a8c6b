#include "gateway/control/caller_accounts.h"

#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <cstring>

namespace nanbyo::gw::dbus {
namespace {

constexpr std::size_t kEntryBuffer = 1 << 16;

Result<uid_t> uid_of(const std::string& name) {
  std::vector<char> buffer(kEntryBuffer);
  passwd entry{};
  passwd* found = nullptr;
  if (int e = getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found); e != 0) {
    return fail("cannot read the user database: " + std::string(std::strerror(e)));
  }
  if (found == nullptr) return fail("no such user: " + name);
  return found->pw_uid;
}

}  // namespace

Result<std::vector<uid_t>> uids_of_users(const std::vector<std::string>& names) {
  std::vector<uid_t> uids;
  for (const auto& name : names) {
    NANBYO_TRY(uid, uid_of(name));
    uids.push_back(uid);
  }
  return uids;
}

Result<std::vector<uid_t>> uids_in_group(const std::string& group) {
  std::vector<char> buffer(kEntryBuffer);
  struct group entry {};
  struct group* found = nullptr;
  if (int e = getgrnam_r(group.c_str(), &entry, buffer.data(), buffer.size(), &found); e != 0) {
    return fail("cannot read the group database: " + std::string(std::strerror(e)));
  }
  if (found == nullptr) return fail("no such group: " + group);
  const gid_t gid = found->gr_gid;
  std::vector<std::string> members;
  for (char** member = found->gr_mem; member && *member; ++member) members.emplace_back(*member);
  NANBYO_TRY(uids, uids_of_users(members));
  setpwent();
  while (passwd* account = getpwent()) {
    if (account->pw_gid == gid) uids.push_back(account->pw_uid);
  }
  endpwent();
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

}  // namespace nanbyo::gw::dbus
