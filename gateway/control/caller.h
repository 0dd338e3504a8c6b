// Who is calling the control service, and whether they may change anything.
//
// Read-only methods (ListConnections, Statistics) are open to whoever the bus
// lets through: on the system bus that is root, the group nanbyo-admin and,
// for RevokeUser only, the application core's user _nanbyo-app
// (packaging/dbus/org.nanbyo.Gateway1.conf). Mutating methods (Disconnect,
// RevokeCertificate, RevokeUser, Reload) additionally need an euid of 0, the
// gateway's own uid, or one in the allow-list; RevokeUser also admits the
// uids allowed to revoke users only (the application core, ID-5/ID-6). A
// caller whose uid the bus does not tell us is refused. With dbus-daemon the uid is the bus
// driver's UnixUserID, taken from SO_PEERCRED when the caller connected (not read from /proc, so
// not open to PID reuse).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include <systemd/sd-bus.h>

namespace nanbyo::gw::dbus {

struct Caller {
  std::string unique_name;  // e.g. ":1.42"
  std::optional<uid_t> euid;

  // For requested_by and the audit log, e.g. "dbus :1.42 uid=1000".
  std::string describe() const;
};

// The sender of `message`; the uid is asked of the bus (sd_bus_query_sender_creds).
Caller identify_caller(sd_bus_message* message);

class CallerPolicy {
 public:
  CallerPolicy(uid_t own_uid, std::vector<uid_t> allowed_uids,
               std::vector<uid_t> revoke_user_uids = {})
      : own_uid_(own_uid),
        allowed_uids_(std::move(allowed_uids)),
        revoke_user_uids_(std::move(revoke_user_uids)) {}

  bool may_change(const Caller& caller) const;
  bool may_revoke_user(const Caller& caller) const;

 private:
  uid_t own_uid_;
  std::vector<uid_t> allowed_uids_;
  std::vector<uid_t> revoke_user_uids_;
};

}  // namespace nanbyo::gw::dbus
