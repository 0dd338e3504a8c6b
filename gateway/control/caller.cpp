#include "gateway/control/caller.h"

#include <algorithm>

#include "gateway/contract/sd_bus_handles.h"

namespace nanbyo::gw::dbus {

std::string Caller::describe() const {
  std::string text =
      "dbus " + (unique_name.empty() ? std::string("(unknown sender)") : unique_name);
  if (euid) text += " uid=" + std::to_string(*euid);
  return text;
}

Caller identify_caller(sd_bus_message* message) {
  Caller caller;
  if (const char* sender = sd_bus_message_get_sender(message)) caller.unique_name = sender;
  sd_bus_creds* raw = nullptr;
  if (sd_bus_query_sender_creds(message, SD_BUS_CREDS_EUID, &raw) >= 0) {
    SdCreds creds(raw);
    uid_t euid = 0;
    if (sd_bus_creds_get_euid(creds.get(), &euid) >= 0) caller.euid = euid;
  }
  return caller;
}

bool CallerPolicy::may_change(const Caller& caller) const {
  if (!caller.euid) return false;
  const uid_t uid = *caller.euid;
  return uid == 0 || uid == own_uid_ ||
         std::find(allowed_uids_.begin(), allowed_uids_.end(), uid) != allowed_uids_.end();
}

}  // namespace nanbyo::gw::dbus

namespace nanbyo::gw::dbus {

bool CallerPolicy::may_revoke_user(const Caller& caller) const {
  if (may_change(caller)) return true;
  return caller.euid && std::find(revoke_user_uids_.begin(), revoke_user_uids_.end(),
                                  *caller.euid) != revoke_user_uids_.end();
}

}  // namespace nanbyo::gw::dbus
