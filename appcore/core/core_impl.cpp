// Helpers shared by the flow files of AppCore: acting user, scope, user
// creation, decryption, revocation, audit.
#include "appcore/core/core_impl.h"

#include <chrono>

#include "appcore/core/authorization_facts.h"
#include "appcore/core/errors.h"
#include "appcore/core/passwords.h"
#include "appcore/core/principal_event.h"
#include "pki/aead.h"
#include "pki/encoding.h"

namespace nanbyo::appcore {

std::string token_hash(const std::string& token) {
  return aead::sha256(token);
}

std::string AppCore::Impl::now_text() const {
  return format_utc(clock.now());
}

std::string AppCore::Impl::today() const {
  return japan_date(clock.now());
}

Role AppCore::Impl::role_of(const UserRow& u) {
  return role_from_string(u.role).value_or(Role::Clerk);
}

Result<UserRow> AppCore::Impl::load_user(const std::string& user_id) {
  NANBYO_TRY(row, store->get_user(user_id));
  if (!row) return fail(Errc::NotFound, "user " + user_id + " does not exist");
  return std::move(*row);
}

Result<void> AppCore::Impl::refresh(UserRow& u) {
  NANBYO_TRY(row, store->get_user(u.user_id));
  if (!row) return fail(Errc::AuthFailed, "the user of this session no longer exists; log in");
  if (row->password_hash != u.password_hash) {
    return fail(Errc::Conflict, "the password was changed meanwhile; try again");
  }
  u = std::move(*row);
  return {};
}

Result<UserRow> AppCore::Impl::actor(const Principal& p, bool setup_call) {
  NANBYO_TRY(row, store->get_user(p.user_id));
  if (!row) return fail(Errc::AuthFailed, "the user of this session no longer exists; log in");
  if (row->locked) return fail(Errc::Locked, "the account is locked");
  if (!setup_call && row->setup_step != static_cast<int>(SetupStep::None)) {
    return fail(Errc::SetupRequired, "finish the first-login steps first");
  }
  return std::move(*row);
}

Result<bool> AppCore::Impl::is_hospital_admin(const UserRow& u) {
  if (u.hospital.empty()) return false;
  NANBYO_TRY(h, store->get_hospital(u.hospital));
  return h && h->administrator == u.user_id;
}

Result<void> AppCore::Impl::authorize(const Principal& p, const UserRow& a, Action action,
                                      const Target& target, const std::string& subject,
                                      std::string_view event) {
  NANBYO_TRY(facts, actor_facts(*store, a, p, today()));
  Decision d = decide(facts, action, target);
  if (d) return {};
  return deny(p, std::string(event.empty() ? audit_event(action) : event), subject,
              fail(Errc::Forbidden, d.reason));
}

Result<void> AppCore::Impl::authorize_on_user(const Principal& p, const UserRow& a, Action action,
                                              const UserRow& t, std::string_view event) {
  NANBYO_TRY(facts, user_facts(*store, t));
  return authorize(p, a, action, facts, t.user_id, event);
}

IssuedCredential AppCore::Impl::new_initial_password(UserRow& u) const {
  IssuedCredential c;
  c.user_id = u.user_id;
  c.initial_password = generate_initial_password();
  c.password_expires_at = format_utc(clock.now() + config.initial_password_validity);
  u.password_hash = hash_initial_password(keys, u.user_id, c.initial_password);
  u.password_expires_at = c.password_expires_at;
  u.failed_logins = 0;
  return c;
}

IssuedCredential AppCore::Impl::reset_to_initial_password(UserRow& t) const {
  IssuedCredential cred = new_initial_password(t);
  t.locked = false;  // a reset is also the way out of a lock
  if (!(t.setup_full && t.setup_step == static_cast<int>(SetupStep::RegisterEmail))) {
    // E-mail and key file stay; the user chooses a new password (and secret question).
    t.setup_step = static_cast<int>(SetupStep::SetPassword);
    t.setup_full = true;
  }
  return cred;
}

std::string AppCore::Impl::user_id_text(Role role, long long number) {
  char id[32];  // "A0000001": the role's letter and 7 digits
  std::snprintf(id, sizeof id, "%c%07lld", id_prefix(role), number);
  return id;
}

UserRow AppCore::Impl::new_user_row(Role role, std::string user_id, const std::string& name,
                                    const std::string& kana, const std::string& hospital,
                                    const std::string& municipality,
                                    IssuedCredential& credential) const {
  UserRow u;
  u.user_id = std::move(user_id);
  u.role = std::string(to_string(role));
  u.hospital = hospital;
  u.municipality = municipality;
  u.name_enc = keys.seal("users", "name", u.user_id, name);
  u.kana_enc = keys.seal("users", "kana", u.user_id, kana);
  credential = new_initial_password(u);
  // Hospital users receive a key file at first login (ID-4); staff only choose a password.
  u.setup_step =
      static_cast<int>(is_hospital_role(role) ? SetupStep::RegisterEmail : SetupStep::SetPassword);
  u.setup_full = true;
  u.created_at = now_text();
  return u;
}

Result<IssuedCredential> AppCore::Impl::create_user(Role role, const std::string& name,
                                                    const std::string& kana,
                                                    const std::string& hospital,
                                                    const std::string& municipality, UserRow* out) {
  NANBYO_TRY(number, store->next_user_number(id_prefix(role)));
  if (number > kMaxUserNumber) return fail(Errc::Conflict, "no user ids left for this role");
  IssuedCredential c;
  UserRow u = new_user_row(role, user_id_text(role, number), name, kana, hospital, municipality, c);
  NANBYO_TRY_VOID(store->insert_user(u));
  if (out) *out = std::move(u);
  return c;
}

Result<std::string> AppCore::Impl::decrypt(const UserRow& u, const char* column,
                                           const std::string& enc) {
  return keys.open("users", column, u.user_id, enc);
}

Result<UserView> AppCore::Impl::view(const UserRow& u, const DoctorRow* d, bool with_registration,
                                     const std::string& only_municipality) {
  UserView v;
  v.user_id = u.user_id;
  v.role = role_of(u);
  NANBYO_TRY(name, decrypt(u, "name", u.name_enc));
  NANBYO_TRY(kana, decrypt(u, "kana", u.kana_enc));
  v.name = std::move(name);
  v.kana = std::move(kana);
  v.hospital = u.hospital;
  v.municipality = u.municipality;
  v.locked = u.locked;
  NANBYO_TRY(admin, is_hospital_admin(u));
  v.hospital_admin = admin;
  v.setup_step = std::string(to_string(static_cast<SetupStep>(u.setup_step)));
  if (d) {
    NANBYO_TRY(rows, store->designations_of(u.user_id));
    for (const auto& r : rows) {
      if (r.ended || (!only_municipality.empty() && r.municipality != only_municipality)) continue;
      NANBYO_TRY(shown, designation_view(r));
      v.designations.push_back(std::move(shown));
    }
    if (with_registration) {
      NANBYO_TRY(reg, keys.open("doctors", "registration", u.user_id, d->registration_enc));
      v.registration_number = std::move(reg);
    }
  }
  return v;
}

Result<Designation> AppCore::Impl::designation_view(const DesignationRow& r) {
  Designation d;
  d.id = std::to_string(r.id);
  d.user_id = r.user_id;
  d.program = program_from_string(r.program).value_or(Program::Nanbyo);
  d.kind = role_from_string(r.kind).value_or(Role::NanbyoDoctor);
  d.municipality = r.municipality;
  NANBYO_TRY(m, store->get_municipality(r.municipality));
  if (m) d.municipality_name = m->name;
  d.hospital = r.hospital;
  d.department = r.department;
  d.doctor_number = r.doctor_number;
  d.designated_on = r.designated_on;
  d.expires_on = r.expires_on;
  d.ended = r.ended;
  d.ended_on = r.ended_on;
  d.valid = designation_valid(r.ended, r.expires_on, today());
  return d;
}

Result<std::size_t> AppCore::Impl::end_other_sessions(const Principal& p) {
  std::string keep;  // "" (no session: a call outside the web) keeps none
  if (!from_hex(p.session_id_hash, keep)) keep.clear();
  return store->delete_other_sessions(p.user_id, keep);
}

Result<RevocationOutcome> AppCore::Impl::revoke_access(const std::string& user_id,
                                                       const std::string& reason) {
  RevocationOutcome out;
  out.user_id = user_id;
  NANBYO_TRY(keys_revoked, key_registry->revoke_user(user_id, reason));
  out.revoked_key_ids = std::move(keys_revoked);
  NANBYO_TRY(ended, store->delete_user_sessions(user_id));
  out.ended_sessions = ended;
  return out;
}

Result<void> AppCore::Impl::ensure_hospital_admin(const std::string& hospital) {
  NANBYO_TRY(h, store->get_hospital(hospital));
  if (!h || !h->administrator.empty()) return {};
  NANBYO_TRY(first, store->first_doctor_of_hospital(hospital));
  if (first) NANBYO_TRY_VOID(store->set_hospital_admin(hospital, *first));
  return {};
}

audit::AuditEvent AppCore::Impl::event(const Principal& p, std::string name, audit::Outcome outcome,
                                       std::string subject,
                                       std::map<std::string, std::string> detail) const {
  return principal_event(p, std::move(name), outcome, std::move(subject), std::move(detail));
}

Result<void> AppCore::Impl::record(const Principal& p, std::string name, std::string subject,
                                   std::map<std::string, std::string> detail) {
  auto e = event(p, std::move(name), audit::Outcome::Allow, std::move(subject), std::move(detail));
  auto r = audit.append(e);
  if (!r) return fail(Errc::Internal, "the audit log could not be written: " + r.error().message);
  return {};
}

Error AppCore::Impl::deny(const Principal& p, std::string name, std::string subject, Error error) {
  auto e = event(p, std::move(name), audit::Outcome::Deny, std::move(subject),
                 {{"reason", std::string(error_text(error))},
                  {"code", std::string(to_string(error_code(error)))}});
  auto r = audit.append(e);
  if (!r) return fail(Errc::Internal, "the audit log could not be written: " + r.error().message);
  return error;
}

}  // namespace nanbyo::appcore
