#include "gateway/privileges/capabilities.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "pki/errno_text.h"

namespace nanbyo::privileges {
namespace {

bool kept(const std::vector<int>& keep, int cap) {
  return std::find(keep.begin(), keep.end(), cap) != keep.end();
}

// The highest capability number this kernel knows (CAP_LAST_CAP of the running kernel, which
// may be newer than our headers): PR_CAPBSET_READ fails with EINVAL past it.
int last_capability() {
  int cap = 0;
  while (cap < 64 && prctl(PR_CAPBSET_READ, cap + 1, 0, 0, 0) >= 0) ++cap;
  return cap;
}

bool holds_setpcap() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  return (data[CAP_TO_INDEX(CAP_SETPCAP)].effective & CAP_TO_MASK(CAP_SETPCAP)) != 0;
}

Result<void> narrow_bounding_set(const std::vector<int>& keep) {
  if (!holds_setpcap()) return {};  // the caller's bounding set stays: nothing we may do
  const int last = last_capability();
  for (int cap = 0; cap <= last; ++cap) {
    if (kept(keep, cap) || prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 1) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
      return fail("cannot drop capability " + std::to_string(cap) +
                  " from the bounding set: " + errno_text());
    }
  }
  return {};
}

Result<void> set_process_sets(const std::vector<int>& keep) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  for (int cap : keep) {
    data[CAP_TO_INDEX(cap)].effective |= CAP_TO_MASK(cap);
    data[CAP_TO_INDEX(cap)].permitted |= CAP_TO_MASK(cap);
  }
  if (syscall(SYS_capset, &header, data) != 0) {
    return fail("cannot set the capability sets: " + errno_text());
  }
  return {};
}

}  // namespace

Result<void> narrow_inherited_capabilities(const std::vector<int>& keep) {
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
    return fail("cannot clear the ambient capabilities: " + errno_text());
  }
  return narrow_bounding_set(keep);
}

Result<void> limit_capabilities(const std::vector<int>& keep) {
  // The bounding set before the others: dropping from it needs CAP_SETPCAP, which goes next.
  NANBYO_TRY_VOID(narrow_inherited_capabilities(keep));
  return set_process_sets(keep);
}

Result<void> drop_all_capabilities() {
  return limit_capabilities({});
}

Result<void> forbid_new_privileges() {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return fail("cannot set no_new_privs: " + errno_text());
  }
  return {};
}

}  // namespace nanbyo::privileges
