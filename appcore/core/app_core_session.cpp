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

// How stale a session's last_seen may get before a request rewrites it.
constexpr std::chrono::seconds kTouchInterval{30};

std::string normalize_id(const std::string& id) {
  std::string out;
  for (char c : id)
    if (c != ' ' && c != '\t')
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

// One answer for an unknown ID, a wrong password and a terminal the ID may not
// be used from: a stranger at another hospital's PC cannot tell which IDs exist
// (docs/appcore-data.md "Login"). The audit record keeps the real reason.
const Error& refused() {
  static const Error e =
      fail(Errc::AuthFailed, "wrong ID or password, or this ID cannot log in from this PC");
  return e;
}

// Why a hospital user may not log in from `from` (the certificate is of none
// of the user's work hospitals), checked before the password; "" when it may.
// Staff (operator, auditor, municipal admin) are not tied to a terminal: the
// gateway's listeners decide which terminals reach the login at all.
Result<std::string> terminal_refusal(Store& store, const UserRow& u, Role role,
                                     const Terminal& from, const std::string& today) {
  if (!is_hospital_role(role)) return std::string();
  NANBYO_TRY(hospitals, work_hospitals(store, u, today));
  if (from.hospital.empty() ||
      std::find(hospitals.begin(), hospitals.end(), from.hospital) == hospitals.end())
    return std::string("the terminal's certificate is not of a work hospital of the user");
  return std::string();
}

}  // namespace

// The throttle's name for a terminal: its certificate, else where it came from.
std::string AppCore::Impl::terminal_key(const Terminal& t) {
  return t.cert_serial.empty() ? "address:" + t.hospital + "/" + t.name : "cert:" + t.cert_serial;
}

Error AppCore::Impl::throttled(const Principal& who, const std::string& user_id,
                               LoginThrottle::Attempt& attempt, std::chrono::seconds wait,
                               const char* by) {
  Error e = fail(Errc::Throttled, "too many failed logins; try again in " +
                                      std::to_string(wait.count()) + " seconds");
  std::size_t suppressed = 0;
  // A guessing loop would fill the audit log: one record per wait, counting the rest.
  if (!attempt.first_refusal(suppressed)) return e;
  auto r = audit.append(event(who, "login-throttled", audit::Outcome::Deny, user_id,
                              {{"by", by},
                               {"wait_seconds", std::to_string(wait.count())},
                               {"not_audited_before", std::to_string(suppressed)}}));
  if (!r) return fail(Errc::Internal, "the audit log could not be written: " + r.error().message);
  return e;
}

Result<LoginResult> AppCore::login(const std::string& user_id_text, const std::string& password,
                                   const Terminal& from) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  const std::string user_id = normalize_id(user_id_text);
  Principal who{user_id, Role::Clerk, from.hospital, from.name, "", from.cert_serial};
  std::chrono::seconds wait{0};
  auto attempt = m.throttle.begin(Impl::terminal_key(from), m.clock.now(), wait);
  if (wait.count() > 0) return m.throttled(who, user_id, attempt, wait, "terminal");
  if (user_id.empty() || user_id.size() > 16 || password.size() > kMaxPasswordLength) {
    attempt.failed();
    return m.deny(who, "login", user_id, refused());
  }
  NANBYO_TRY(found, m.store->get_user(user_id));
  if (!found) {
    attempt.failed();
    return m.deny(who, "login", user_id, refused());
  }
  UserRow u = std::move(*found);
  const Role role = Impl::role_of(u);
  who.role = role;
  const std::string today = m.today();
  // Before the password and without counting against the account: a stranger
  // at another hospital's PC can neither guess nor slow this account down.
  NANBYO_TRY(why, terminal_refusal(*m.store, u, role, from, today));
  if (!why.empty()) {
    attempt.failed();
    Error recorded = m.deny(who, "login", user_id, fail(Errc::Forbidden, why));
    if (error_code(recorded) == Errc::Internal) return recorded;  // the audit log failed
    return refused();
  }
  if (is_doctor(role)) {
    NANBYO_TRY(valid, valid_designations(*m.store, u.user_id, today));
    if (valid.empty()) {
      return m.deny(who, "login", user_id,
                    fail(Errc::Expired,
                         "no designation is valid today; ask your municipality for an extension"));
    }
  }
  if (u.locked) {
    return m.deny(who, "login", user_id,
                  fail(Errc::Locked,
                       "the account is locked; ask your hospital's administrator (責任者), "
                       "municipality or operator to unlock it"));
  }
  wait = attempt.enter_account(user_id);
  if (wait.count() > 0) return m.throttled(who, user_id, attempt, wait, "account");
  // Argon2id runs outside the write lock; the rest is one atomic step on the
  // user's current row (locked, deleted or re-passworded meanwhile: refused).
  const bool password_ok = verify_password(m.keys, u.user_id, u.password_hash, password);
  auto writing = m.write_lock();
  if (!password_ok || !m.refresh(u) || u.locked) {
    if (!password_ok) attempt.failed();
    return m.deny(who, "login", user_id, refused());
  }
  attempt.succeeded();
  TimePoint expiry;
  if (is_initial_hash(u.password_hash) && parse_utc(u.password_expires_at, expiry) &&
      m.clock.now() >= expiry) {
    return m.deny(who, "login", user_id,
                  fail(Errc::Expired,
                       "the initial password has expired; ask for a new one (password reset)"));
  }

  LoginResult out;
  out.session_token = to_hex(random_bytes(32));
  out.csrf_token = to_hex(random_bytes(32));
  SessionRow s{token_hash(out.session_token),
               token_hash(out.csrf_token),
               u.user_id,
               from.hospital,
               from.name,
               m.now_text(),
               m.now_text(),
               from.cert_serial};
  NANBYO_TRY_VOID(m.store->insert_session(s));
  out.principal =
      Principal{u.user_id, role, from.hospital, from.name, to_hex(s.id_hash), from.cert_serial};
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
  Principal p{s.user_id, Role::Clerk, s.hospital, s.terminal, to_hex(h), s.cert_serial};
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
  // Bound to the certificate of the login: a cookie copied to another PC, even
  // of the same hospital, is refused (issue 12).
  if (from.cert_serial != s.cert_serial) {
    return m.deny(p, "session-use", s.user_id,
                  fail(Errc::Forbidden, "the session belongs to another terminal's certificate"));
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
