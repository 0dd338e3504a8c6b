// AppCore: hospital user management by the 責任者 (ID-7) and a doctor's
// 兼務先 (ID-8). Scope rules: docs/appcore-data.md "Roles and scope".
#include <algorithm>

#include "appcore/core/app_core.h"
#include "appcore/core/core_impl.h"
#include "appcore/core/doctor_fields.h"

namespace nanbyo::appcore {
namespace {

Error not_admin() {
  return fail(Errc::Forbidden, "only the hospital's administrator (責任者) manages its users");
}

}  // namespace

Result<std::vector<UserView>> AppCore::hospital_users(const Principal& p) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(admin, m.is_hospital_admin(a));
  if (!admin) return m.deny(p, "hospital-user-list", a.hospital, not_admin());
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
  NANBYO_TRY(admin, m.is_hospital_admin(a));
  if (!admin) return m.deny(p, "hospital-admin-handover", to, not_admin());
  NANBYO_TRY(t, m.load_user(to));
  const Role r = Impl::role_of(t);
  if (t.hospital != a.hospital || !(is_doctor(r) || r == Role::HospitalAdmin)) {
    return m.deny(p, "hospital-admin-handover", to,
                  fail(Errc::Forbidden,
                       "the administrator must be a doctor or 責任者 user of this hospital"));
  }
  NANBYO_TRY_VOID(m.store->set_hospital_admin(a.hospital, t.user_id));
  return m.record(p, "hospital-admin-handover", to, {{"hospital", a.hospital}});
}

Result<IssuedCredential> AppCore::create_hospital_admin_user(const Principal& p,
                                                             const std::string& name,
                                                             const std::string& kana) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(admin, m.is_hospital_admin(a));
  if (!admin) return m.deny(p, "hospital-admin-create", "", not_admin());
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
  NANBYO_TRY(admin, m.is_hospital_admin(a));
  if (!admin) return m.deny(p, "clerk-create", "", not_admin());
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
  NANBYO_TRY(allowed, m.may_manage(a, t));
  if (!allowed || a.user_id == t.user_id) {
    return m.deny(p, "password-reset", user_id,
                  fail(Errc::Forbidden, "this user is outside your scope"));
  }
  IssuedCredential cred = m.new_initial_password(t);
  t.locked = false;  // a reset is also the way out of a lockout
  if (!(t.setup_full && t.setup_step == static_cast<int>(SetupStep::RegisterEmail))) {
    // E-mail and key file stay; the user chooses a new password (and secret question).
    t.setup_step = static_cast<int>(SetupStep::SetPassword);
    t.setup_full = true;
  }
  NANBYO_TRY_VOID(m.store->update_user(t));
  NANBYO_TRY(ended, m.store->delete_user_sessions(user_id));
  NANBYO_TRY_VOID(
      m.record(p, "password-reset", user_id, {{"ended_sessions", std::to_string(ended)}}));
  return cred;
}

Result<void> AppCore::set_locked(const Principal& p, const std::string& user_id, bool locked) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  const char* name = locked ? "account-lock" : "account-unlock";
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(t, m.load_user(user_id));
  NANBYO_TRY(allowed, m.may_manage(a, t));
  if (!allowed || a.user_id == t.user_id) {
    return m.deny(p, name, user_id, fail(Errc::Forbidden, "this user is outside your scope"));
  }
  t.locked = locked;
  t.failed_logins = 0;
  NANBYO_TRY_VOID(m.store->update_user(t));
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
  NANBYO_TRY(allowed, m.may_manage(a, t));
  if (!allowed || !is_hospital_role(Impl::role_of(t))) {
    return m.deny(p, "user-key-reissue", user_id,
                  fail(Errc::Forbidden, "this user is outside your scope"));
  }
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
  NANBYO_TRY(admin, m.is_hospital_admin(a));
  const Role r = Impl::role_of(t);
  if (!admin || t.hospital != a.hospital || a.user_id == t.user_id ||
      !(r == Role::Clerk || r == Role::HospitalAdmin)) {
    return m.deny(p, "user-delete", user_id,
                  fail(Errc::Forbidden,
                       "the 責任者 deletes clerks and 責任者 users of the hospital, not doctors "
                       "(a doctor leaves through the municipality) or themselves"));
  }
  NANBYO_TRY(out, m.revoke_access(user_id, "user-deleted"));
  NANBYO_TRY_VOID(m.store->delete_user(user_id));
  NANBYO_TRY_VOID(m.record(p, "user-delete", user_id,
                           {{"revoked_keys", std::to_string(out.revoked_key_ids.size())},
                            {"ended_sessions", std::to_string(out.ended_sessions)}}));
  return out;
}

Result<std::vector<Hospital>> AppCore::affiliations(const Principal& p) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(numbers, m.store->affiliations(a.user_id));
  std::vector<Hospital> out;
  for (const auto& n : numbers) {
    NANBYO_TRY(h, m.store->get_hospital(n));
    if (h) out.push_back(Hospital{h->number, h->name, h->address, ""});
  }
  return out;
}

Result<void> AppCore::add_affiliation(const Principal& p, const std::string& number) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  if (!is_doctor(Impl::role_of(a))) {
    return m.deny(p, "affiliation-add", number,
                  fail(Errc::Forbidden, "only designated doctors register 兼務先"));
  }
  NANBYO_TRY(h, m.store->get_hospital(number));
  if (!h) {
    return fail(Errc::NotFound,
                "hospital " + number + " is not registered; ask the municipality to register it");
  }
  if (number == a.hospital) return fail(Errc::Conflict, "this is your main hospital already");
  NANBYO_TRY(current, m.store->affiliations(a.user_id));
  if (std::find(current.begin(), current.end(), number) != current.end()) return {};
  if (current.size() >= kMaxAffiliations) {
    return m.deny(p, "affiliation-add", number,
                  fail(Errc::Conflict, "at most 10 兼務先 can be registered; remove one first"));
  }
  NANBYO_TRY_VOID(m.store->add_affiliation(a.user_id, number));
  return m.record(p, "affiliation-add", a.user_id, {{"hospital", number}});
}

Result<void> AppCore::remove_affiliation(const Principal& p, const std::string& number) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(removed, m.store->remove_affiliation(a.user_id, number));
  if (!removed) return fail(Errc::NotFound, "hospital " + number + " is not one of your 兼務先");
  return m.record(p, "affiliation-remove", a.user_id, {{"hospital", number}});
}

}  // namespace nanbyo::appcore
