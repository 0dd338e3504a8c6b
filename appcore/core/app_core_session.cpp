// AppCore: login, sessions and CSRF tokens (server-side sessions; the cookie
// holds a random 256-bit token, the database only its SHA-256).
#include <algorithm>
#include <cctype>

#include "appcore/core/app_core.h"
#include "appcore/core/core_impl.h"
#include "appcore/core/passwords.h"
#include "appcore/core/work_hospitals.h"
#include "pki/aead.h"
#include "pki/encoding.h"
#include "pki/random.h"

namespace nanbyo::appcore {
namespace {

std::string normalize_id(const std::string& id) {
  std::string out;
  for (char c : id)
    if (c != ' ' && c != '\t')
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

// How stale a session's last_seen may get before a request rewrites it.
constexpr std::chrono::seconds kTouchInterval{30};

const Error& wrong_credentials() {
  // One message for unknown IDs and wrong passwords: no user enumeration.
  static const Error e = fail(Errc::AuthFailed, "wrong ID or password");
  return e;
}

}  // namespace

Result<LoginResult> AppCore::login(const std::string& user_id_text, const std::string& password,
                                   const Terminal& from) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  const std::string user_id = normalize_id(user_id_text);
  Principal who{user_id, Role::Clerk, from.hospital, from.name, ""};
  if (user_id.empty() || user_id.size() > 16 || password.size() > kMaxPasswordLength) {
    return m.deny(who, "login", user_id, wrong_credentials());
  }
  NANBYO_TRY(found, m.store->get_user(user_id));
  if (!found) return m.deny(who, "login", user_id, wrong_credentials());
  UserRow u = std::move(*found);
  who.role = Impl::role_of(u);
  if (u.locked) {
    return m.deny(who, "login", user_id,
                  fail(Errc::Locked,
                       "the account is locked; ask your hospital's administrator (責任者), "
                       "municipality or operator to unlock it"));
  }
  const bool password_ok = verify_password(m.keys, u.user_id, u.password_hash, password);
  // Argon2id above ran outside the write lock; what follows is one atomic step
  // on the user's current row (concurrent failures each count).
  auto writing = m.write_lock();
  if (!m.refresh(u) || u.locked) return m.deny(who, "login", user_id, wrong_credentials());
  if (!password_ok) {
    ++u.failed_logins;
    bool now_locked = u.failed_logins >= m.config.max_failed_logins;
    if (now_locked) u.locked = true;
    NANBYO_TRY_VOID(m.store->update_user(u));
    if (now_locked) {
      NANBYO_TRY_VOID(m.audit.append(m.event(who, "account-lock", audit::Outcome::Deny, user_id,
                                             {{"reason", "too many failed logins"}})));
      NANBYO_TRY(ended, m.store->delete_user_sessions(user_id));
      (void)ended;
    }
    return m.deny(who, "login", user_id, wrong_credentials());
  }
  TimePoint expiry;
  if (is_initial_hash(u.password_hash) && parse_utc(u.password_expires_at, expiry) &&
      m.clock.now() >= expiry) {
    return m.deny(who, "login", user_id,
                  fail(Errc::Expired,
                       "the initial password has expired; ask for a new one (password reset)"));
  }
  const Role role = Impl::role_of(u);
  const std::string today = m.today();
  if (is_hospital_role(role)) {
    NANBYO_TRY(hospitals, work_hospitals(*m.store, u, today));
    if (from.hospital.empty() ||
        std::find(hospitals.begin(), hospitals.end(), from.hospital) == hospitals.end()) {
      return m.deny(who, "login", user_id,
                    fail(Errc::Forbidden,
                         "this PC's certificate is not of your hospital or a registered 兼務先"));
    }
  }
  if (is_doctor(role)) {
    NANBYO_TRY(valid, valid_designations(*m.store, u.user_id, today));
    if (valid.empty()) {
      return m.deny(who, "login", user_id,
                    fail(Errc::Expired,
                         "no designation is valid today; ask your municipality for an extension"));
    }
  }
  u.failed_logins = 0;
  NANBYO_TRY_VOID(m.store->update_user(u));

  LoginResult out;
  out.session_token = to_hex(random_bytes(32));
  out.csrf_token = to_hex(random_bytes(32));
  SessionRow s{token_hash(out.session_token),
               token_hash(out.csrf_token),
               u.user_id,
               from.hospital,
               from.name,
               m.now_text(),
               m.now_text()};
  NANBYO_TRY_VOID(m.store->insert_session(s));
  out.principal = Principal{u.user_id, role, from.hospital, from.name, to_hex(s.id_hash)};
  out.next_step = static_cast<SetupStep>(u.setup_step);
  NANBYO_TRY_VOID(m.record(out.principal, "login", u.user_id,
                           {{"setup_step", std::string(to_string(out.next_step))}}));
  return out;
}

Result<Principal> AppCore::resolve_session(const std::string& token, const Terminal& from) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  const std::string h = token_hash(token);
  NANBYO_TRY(found, m.store->get_session(h));
  if (!found) return fail(Errc::AuthFailed, "the session has ended; log in again");
  const SessionRow& s = *found;
  TimePoint created, seen;
  parse_utc(s.created_at, created);
  parse_utc(s.last_seen, seen);
  const TimePoint now = m.clock.now();
  Principal p{s.user_id, Role::Clerk, s.hospital, s.terminal, to_hex(h)};
  if (now - created >= m.config.session_absolute || now - seen >= m.config.session_idle) {
    auto writing = m.write_lock();
    NANBYO_TRY_VOID(m.store->delete_session(h));
    NANBYO_TRY_VOID(m.record(p, "session-expire", s.user_id));
    return fail(Errc::Expired, "the session has timed out; log in again");
  }
  if (from.hospital != s.hospital) {
    return m.deny(p, "session-use", s.user_id,
                  fail(Errc::Forbidden, "the session belongs to another hospital's terminal"));
  }
  NANBYO_TRY(user, m.store->get_user(s.user_id));
  if (!user || user->locked) {
    auto writing = m.write_lock();
    NANBYO_TRY_VOID(m.store->delete_session(h));
    return fail(user ? Errc::Locked : Errc::AuthFailed, "the session has ended; log in again");
  }
  p.role = Impl::role_of(*user);
  // A plain request only reads: last_seen is written when it is older than
  // kTouchInterval, so the idle timeout counts from at most that much earlier.
  if (now - seen >= std::min<std::chrono::seconds>(kTouchInterval, m.config.session_idle / 4)) {
    auto writing = m.write_lock();
    NANBYO_TRY_VOID(m.store->touch_session(h, format_utc(now)));
  }
  return p;
}

Result<void> AppCore::check_csrf(const std::string& token, const std::string& csrf_token) {
  auto lease = impl_->read();
  NANBYO_TRY(found, impl_->store->get_session(token_hash(token)));
  if (!found) return fail(Errc::AuthFailed, "the session has ended; log in again");
  if (!aead::equal_constant_time(found->csrf_hash, token_hash(csrf_token))) {
    Principal p{found->user_id, Role::Clerk, found->hospital, found->terminal, ""};
    return impl_->deny(p, "csrf-reject", found->user_id,
                       fail(Errc::Forbidden, "the form is out of date; reload the page"));
  }
  return {};
}

Result<void> AppCore::logout(const std::string& token) {
  auto lease = impl_->write();
  const std::string h = token_hash(token);
  NANBYO_TRY(found, impl_->store->get_session(h));
  if (!found) return {};
  NANBYO_TRY_VOID(impl_->store->delete_session(h));
  Principal p{found->user_id, Role::Clerk, found->hospital, found->terminal, to_hex(h)};
  return impl_->record(p, "logout", found->user_id);
}

}  // namespace nanbyo::appcore
