// Turns the account names of the gateway's control options into the uids CallerPolicy compares
// (issue 13): `--control-admin-group nanbyo-admin` (every member may change things) and
// `--control-revoke-user-caller _nanbyo-app` (may call RevokeUser only). Read once at start,
// from the passwd and group databases: a member added later counts after a restart.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "pki/result.h"

namespace nanbyo::gw::dbus {

Result<std::vector<uid_t>> uids_of_users(const std::vector<std::string>& names);

// The group's listed members and every account whose primary group it is.
Result<std::vector<uid_t>> uids_in_group(const std::string& group);

}  // namespace nanbyo::gw::dbus
