// AppCore: break-glass (issue 12). Failed logins no longer lock anyone out,
// but an administrator can still lock every operator, or all of them can
// forget their passwords; then an operator with a shell on the appliance (and
// so the master key) unlocks or resets one account without the web UI.
// The command runs in its own process; its writes queue on SQLite's lock
// beside a running service like any other writer.
#include "appcore/core/app_core.h"
#include "appcore/core/core_impl.h"

namespace nanbyo::appcore {
namespace {

Principal break_glass_principal(const BreakGlassActor& who) {
  return Principal{"break-glass", Role::Operator, "", who.os_user + "@" + who.host, "", ""};
}

std::map<std::string, std::string> actor_detail(const BreakGlassActor& who) {
  std::map<std::string, std::string> d{{"os_user", who.os_user}, {"uid", std::to_string(who.uid)}};
  if (!who.sudo_user.empty()) d["sudo_user"] = who.sudo_user;
  return d;
}

// The account a break-glass command names; an unknown one is refused (audited).
Result<UserRow> target(AppCore::Impl& m, const Principal& p, const char* event,
                       const std::string& user_id) {
  NANBYO_TRY(found, m.store->get_user(user_id));
  if (!found)
    return m.deny(p, event, user_id, fail(Errc::NotFound, "user " + user_id + " does not exist"));
  return std::move(*found);
}

}  // namespace

Result<void> AppCore::break_glass_unlock(const BreakGlassActor& who, const std::string& user_id) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  const Principal p = break_glass_principal(who);
  NANBYO_TRY(u, target(m, p, "break-glass-unlock", user_id));
  const bool was_locked = u.locked;
  u.locked = false;
  u.failed_logins = 0;
  NANBYO_TRY_VOID(m.store->update_user(u));
  m.throttle.clear_account(user_id);
  auto detail = actor_detail(who);
  detail["was_locked"] = was_locked ? "true" : "false";
  return m.record(p, "break-glass-unlock", user_id, std::move(detail));
}

Result<IssuedCredential> AppCore::break_glass_reset_password(const BreakGlassActor& who,
                                                             const std::string& user_id) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  const Principal p = break_glass_principal(who);
  NANBYO_TRY(u, target(m, p, "break-glass-password-reset", user_id));
  IssuedCredential cred = m.reset_to_initial_password(u);
  NANBYO_TRY_VOID(m.store->update_user(u));
  m.throttle.clear_account(user_id);
  NANBYO_TRY(ended, m.store->delete_user_sessions(user_id));
  auto detail = actor_detail(who);
  detail["ended_sessions"] = std::to_string(ended);
  NANBYO_TRY_VOID(m.record(p, "break-glass-password-reset", user_id, std::move(detail)));
  return cred;
}

}  // namespace nanbyo::appcore
