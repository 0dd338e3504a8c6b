// AppCore: hospital user management by the 責任者 (ID-7); a doctor's 兼務先
// (ID-8) are in app_core_affiliations.cpp. Scope rules: docs/appcore-data.md "Roles and scope".
#include <algorithm>

#include "appcore/core/app_core.h"
#include "appcore/core/core_impl.h"
#include "appcore/core/doctor_fields.h"

namespace nanbyo::appcore {
Result<std::vector<UserView>> AppCore::hospital_users(const Principal& p) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY_VOID(m.authorize(p, a, Action::HospitalUserList, {}, a.hospital));
  NANBYO_TRY(rows, m.store->users_of_hospital(a.hospital));
  std::vector<UserView> out;
  for (const auto& u : rows) {
    NANBYO_TRY(d, m.store->get_doctor(u.user_id));
    NANBYO_TRY(v, m.view(u, d ? &*d : nullptr, false));
    out.push_back(std::move(v));
  }
  NANBYO_TRY_VOID(m.record(p, "hospital-user-list", a.hospital));
  return out;
}

Result<void> AppCore::hand_over_administration(const Principal& p, const std::string& to) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(t, m.load_user(to));
  NANBYO_TRY_VOID(m.authorize_on_user(p, a, Action::UserHandOverAdmin, t));
  NANBYO_TRY_VOID(m.store->set_hospital_admin(a.hospital, t.user_id));
  return m.record(p, "hospital-admin-handover", to, {{"hospital", a.hospital}});
}

Result<IssuedCredential> AppCore::create_hospital_admin_user(const Principal& p,
                                                             const std::string& name,
                                                             const std::string& kana) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY_VOID(m.authorize(p, a, Action::HospitalAdminUserCreate));
  if (trim(name).empty()) return fail(Errc::InvalidInput, "name: is required");
  IssuedCredential cred;
  NANBYO_TRY_VOID(m.store->transaction([&]() -> Result<void> {
    NANBYO_TRY(c, m.create_user(Role::HospitalAdmin, trim(name), trim(kana), a.hospital, ""));
    NANBYO_TRY_VOID(m.store->set_hospital_admin(a.hospital, c.user_id));
    cred = std::move(c);
    return {};
  }));
  NANBYO_TRY_VOID(m.record(p, "hospital-admin-create", cred.user_id, {{"hospital", a.hospital}}));
  return cred;
}

Result<IssuedCredential> AppCore::create_clerk(const Principal& p, const std::string& name,
                                               const std::string& kana) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY_VOID(m.authorize(p, a, Action::ClerkCreate));
  if (trim(name).empty()) return fail(Errc::InvalidInput, "name: is required");
  IssuedCredential cred;
  NANBYO_TRY_VOID(m.store->transaction([&]() -> Result<void> {
    NANBYO_TRY(c, m.create_user(Role::Clerk, trim(name), trim(kana), a.hospital, ""));
    cred = std::move(c);
    return {};
  }));
  NANBYO_TRY_VOID(m.record(p, "clerk-create", cred.user_id, {{"hospital", a.hospital}}));
  return cred;
}

Result<IssuedCredential> AppCore::reset_password(const Principal& p, const std::string& user_id) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(t, m.load_user(user_id));
  NANBYO_TRY_VOID(m.authorize_on_user(p, a, Action::UserResetPassword, t));
  IssuedCredential cred = m.reset_to_initial_password(t);
  NANBYO_TRY_VOID(m.store->update_user(t));
  m.throttle.clear_account(user_id);
  NANBYO_TRY(ended, m.store->delete_user_sessions(user_id));
  NANBYO_TRY_VOID(
      m.record(p, "password-reset", user_id, {{"ended_sessions", std::to_string(ended)}}));
  return cred;
}

Result<void> AppCore::set_locked(const Principal& p, const std::string& user_id, bool locked) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  const Action action = locked ? Action::UserLock : Action::UserUnlock;
  const std::string name(audit_event(action));
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(t, m.load_user(user_id));
  NANBYO_TRY_VOID(m.authorize_on_user(p, a, action, t));
  t.locked = locked;
  t.failed_logins = 0;
  NANBYO_TRY_VOID(m.store->update_user(t));
  m.throttle.clear_account(user_id);  // an unlock also ends a login wait
  std::size_t ended = 0;
  if (locked) {
    NANBYO_TRY(n, m.store->delete_user_sessions(user_id));
    ended = n;
  }
  return m.record(p, name, user_id, {{"ended_sessions", std::to_string(ended)}});
}

Result<RevocationOutcome> AppCore::reissue_key(const Principal& p, const std::string& user_id) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(t, m.load_user(user_id));
  NANBYO_TRY_VOID(m.authorize_on_user(p, a, Action::UserReissueKey, t));
  NANBYO_TRY(out, m.revoke_access(user_id, "key-reissue"));
  if (!t.setup_full) {
    t.setup_step = static_cast<int>(SetupStep::RegisterEmail);
    NANBYO_TRY_VOID(m.store->update_user(t));
  }
  NANBYO_TRY_VOID(m.record(p, "user-key-reissue", user_id,
                           {{"revoked_keys", std::to_string(out.revoked_key_ids.size())},
                            {"ended_sessions", std::to_string(out.ended_sessions)}}));
  return out;
}

Result<RevocationOutcome> AppCore::delete_user(const Principal& p, const std::string& user_id) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(t, m.load_user(user_id));
  NANBYO_TRY_VOID(m.authorize_on_user(p, a, Action::UserDelete, t));
  NANBYO_TRY(out, m.revoke_access(user_id, "user-deleted"));
  NANBYO_TRY_VOID(m.store->delete_user(user_id));
  NANBYO_TRY_VOID(m.record(p, "user-delete", user_id,
                           {{"revoked_keys", std::to_string(out.revoked_key_ids.size())},
                            {"ended_sessions", std::to_string(out.ended_sessions)}}));
  return out;
}

}  // namespace nanbyo::appcore
