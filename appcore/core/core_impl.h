// AppCore's private state and the helpers its flow files share (internal).
#pragma once

#include <SQLiteCpp/Database.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "appcore/core/app_core.h"
#include "appcore/core/authorization.h"
#include "appcore/core/connection_pool.h"
#include "appcore/core/key_hierarchy.h"
#include "appcore/core/login_throttle.h"
#include "appcore/core/store.h"
#include "pki/audit/audit_record.h"
#include "pki/user_key_registry.h"

namespace nanbyo::appcore {

struct AppCore::Impl {
  Impl(const CoreConfig& c, const Clock& k, audit::AuditSink& a, std::unique_ptr<Store> s,
       KeyHierarchy h)
      : config(c),
        clock(k),
        audit(a),
        connections(
            std::move(s), [path = c.database] { return open_sqlite_connection(path); },
            database_write_mutex(c.database)),
        keys(std::move(h)),
        throttle(c.login_throttle) {}

  const CoreConfig config;
  const Clock& clock;
  audit::AuditSink& audit;  // thread-safe (audit_sink.h)
  // Every facade call starts with read() or write() (connection_pool.h): reads
  // run in parallel on their own connections; write() also holds the database's
  // write lock for the call, so a read-check-write sequence is atomic. Slow work
  // (Argon2id, a bulk import) runs under read() and takes write_lock() only
  // for its writes, re-reading what it checked (refresh()).
  ConnectionPool<Store> connections;
  Leased<Store, Store> store{connections, [](Store& s) -> Store& { return s; }};
  ConnectionPool<Store>::Lease read() { return {connections, false}; }
  ConnectionPool<Store>::Lease write() { return {connections, true}; }
  std::unique_lock<FifoMutex> write_lock() { return connections.write_lock(); }
  KeyHierarchy keys;  // immutable after open: shared by every thread
  // Failed-login waits (issue 12); has its own lock.
  LoginThrottle throttle;
  // The pki key registry keeps its own table (user_keys) in the same file through
  // a second connection, so never call it inside store->transaction(). One
  // connection: call it only under the write lock.
  std::unique_ptr<SQLite::Database> key_db;
  std::unique_ptr<pki::UserKeyRegistry> key_registry;

  // Re-reads `u` (taken before slow work such as password hashing) under the
  // write lock: fails when the user is gone or the password changed meanwhile.
  Result<void> refresh(UserRow& u);

  // ---- users ----
  Result<UserRow> load_user(const std::string& user_id);
  // The acting user, re-read: refuses a deleted or locked user, and one whose
  // first login is not finished unless `setup_call`.
  Result<UserRow> actor(const Principal& p, bool setup_call = false);
  static Role role_of(const UserRow& u);
  Result<bool> is_hospital_admin(const UserRow& u);
  // Refuses (audited under `event`, by default audit_event(action)) unless
  // authorization.h allows the acting user `a` to do `action` to `target`.
  Result<void> authorize(const Principal& p, const UserRow& a, Action action,
                         const Target& target = {}, const std::string& subject = "",
                         std::string_view event = {});
  // The same for an action on the user `t`.
  Result<void> authorize_on_user(const Principal& p, const UserRow& a, Action action,
                                 const UserRow& t, std::string_view event = {});
  static constexpr long long kMaxUserNumber = 9'999'999;
  static std::string user_id_text(Role role, long long number);  // "A0000001"
  // A new user's row with its personal fields sealed and an initial password
  // (no storage: threads may build rows in parallel).
  UserRow new_user_row(Role role, std::string user_id, const std::string& name,
                       const std::string& kana, const std::string& hospital,
                       const std::string& municipality, IssuedCredential& credential) const;
  // Allocates an id, an initial password and inserts the user (inside a transaction).
  Result<IssuedCredential> create_user(Role role, const std::string& name, const std::string& kana,
                                       const std::string& hospital, const std::string& municipality,
                                       UserRow* out = nullptr);
  // New initial password on an existing row (not yet stored).
  IssuedCredential new_initial_password(UserRow& u) const;
  // A password reset (ID-7, break-glass): a new initial password, unlocked, the
  // password step of the first login again (not yet stored).
  IssuedCredential reset_to_initial_password(UserRow& u) const;
  Result<std::string> decrypt(const UserRow& u, const char* column, const std::string& enc);
  // `only_municipality`: show only that municipality's designations ("" for all).
  Result<UserView> view(const UserRow& u, const DoctorRow* d, bool with_registration,
                        const std::string& only_municipality = "");
  Result<Designation> designation_view(const DesignationRow& r);
  // The designation `id` (decimal text) if it is the caller's municipality's and
  // not ended; a refusal (audited as the action's event) otherwise.
  Result<DesignationRow> own_designation(const Principal& p, const UserRow& a,
                                         const std::string& id, Action action);
  // Ends every session of p's user but p's own (a new password: issue 12).
  Result<std::size_t> end_other_sessions(const Principal& p);
  // Revokes every key of the user and ends every session (ID-5, ID-6, ID-7).
  Result<RevocationOutcome> revoke_access(const std::string& user_id, const std::string& reason);
  // When a hospital has no 責任者, its first doctor becomes one.
  Result<void> ensure_hospital_admin(const std::string& hospital);

  // ---- registration (ID-1, ID-2) ----
  // `d` must be normalised and valid. Inside a transaction. A conflict or a
  // different name is an InvalidInput error naming the column.
  Result<RegistrationOutcome> register_normalized(const UserRow& actor, const DoctorInput& d);
  Result<DesignationNotice> notice_of(const UserRow& u, const DesignationRow& d);
  // The hospital named in a registration; created (owned by `municipality`) when unknown.
  Result<Hospital> named_hospital(const DoctorInput& d, const std::string& municipality);
  Result<RegistrationOutcome> add_designation(const UserRow& actor, const std::string& user_id,
                                              const DoctorInput& d);
  Result<long long> insert_designation(const std::string& user_id, const std::string& municipality,
                                       const DoctorInput& d);

  // ---- audit ----
  audit::AuditEvent event(const Principal& p, std::string name, audit::Outcome outcome,
                          std::string subject,
                          std::map<std::string, std::string> detail = {}) const;
  Result<void> record(const Principal& p, std::string name, std::string subject,
                      std::map<std::string, std::string> detail = {});
  // Records a refusal and returns `error` (audit failures are reported instead).
  Error deny(const Principal& p, std::string name, std::string subject, Error error);
  // A login refused inside a throttle wait (audited once per wait, see login_throttle.h).
  // The throttle's name for a terminal: its certificate, else where it came from.
  static std::string terminal_key(const Terminal& t);
  Error throttled(const Principal& who, const std::string& user_id, LoginThrottle::Attempt& attempt,
                  std::chrono::seconds wait, const char* by);

  std::string now_text() const;
  std::string today() const;  // YYYY-MM-DD (UTC+9, the date in Japan)
};

// Hex SHA-256 of a token, as sessions are stored.
std::string token_hash(const std::string& token);

}  // namespace nanbyo::appcore
