// Storage seam of the application core (CONVENTIONS.md rule 2): one interface,
// SQLite (WAL) behind it today, PostgreSQL later. Rows hold personal fields
// already encrypted (field_cipher.h): a Store never sees a name or an e-mail
// in clear, so no implementation can leak one.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "appcore/core/model.h"
#include "pki/result.h"

namespace nanbyo::appcore {

struct UserRow {
  std::string user_id;
  std::string role;          // to_string(Role)
  std::string hospital;      // main hospital, "" for none
  std::string municipality;  // "" for none
  // AES-256-GCM, bound to ("users", column, user_id); "" when not set.
  std::string name_enc, kana_enc, email_enc, question_enc, answer_enc;
  std::string password_hash;        // "hmac-sha256$<hex>" (initial) or "$argon2id$..." (chosen)
  std::string password_expires_at;  // initial passwords only, ISO 8601 UTC
  int failed_logins = 0;
  bool locked = false;
  int setup_step = 0;       // SetupStep as int
  bool setup_full = false;  // true: the whole ID-4 (secret question + password) remains
  std::string created_at;
};

// The person behind a doctor's ID (one per 医籍登録番号).
struct DoctorRow {
  std::string user_id;
  std::string registration_index;  // HMAC of the normalised 医籍登録番号 (dedupe key)
  std::string registration_enc;    // the number itself, encrypted
};

// One designation of a doctor (designation.h).
struct DesignationRow {
  long long id = 0;  // assigned by insert_designation
  std::string user_id;
  std::string program;  // to_string(Program)
  std::string kind;     // to_string(Role)
  std::string municipality, hospital, department, doctor_number;
  std::string designated_on, expires_on;  // YYYY-MM-DD or ""
  bool ended = false;
  std::string ended_on;
  std::string created_at;
};

// One 兼務先 of a doctor (affiliation.h), pending, approved or rejected.
struct AffiliationRow {
  std::string user_id;
  std::string hospital;
  std::string state;       // to_string(AffiliationState)
  std::string department;  // 担当する診療科
  bool visible = true;     // 表示/非表示
  // 連絡先, AES-256-GCM bound to ("affiliations", "contact", "<user_id>/<hospital>").
  std::string contact_enc;
  std::string requested_at;        // ISO 8601 UTC
  std::string decided_by;          // the deciding 責任者's user id, "" while pending
  std::string decided_at, reason;  // "" while pending
};

struct SessionRow {
  std::string id_hash;    // SHA-256 of the token
  std::string csrf_hash;  // SHA-256 of the CSRF token
  std::string user_id;
  std::string hospital;  // of the terminal at login
  std::string terminal;
  std::string created_at, last_seen;  // ISO 8601 UTC
  std::string cert_serial{};          // the client certificate at login, "" for none
};

// One Store is one connection: one thread at a time (connection_pool.h).
class Store {
 public:
  virtual ~Store() = default;

  // Runs `body` in one write transaction (BEGIN IMMEDIATE): committed when it
  // returns success, rolled back on an error or exception. Not re-entrant.
  virtual Result<void> transaction(const std::function<Result<void>()>& body) = 0;
  // Bulk mode (a bulk import's chunks): commits do not wait for the disk and
  // do not checkpoint the WAL; the importer calls checkpoint() between chunks,
  // outside the write lock. Off again (the default), the next commit syncs the
  // WAL and with it every chunk before.
  virtual Result<void> set_bulk_mode(bool on) = 0;
  // Copies what the WAL holds into the database as far as readers allow
  // (PASSIVE: runs beside readers and a writer).
  virtual Result<void> checkpoint() = 0;

  virtual Result<std::optional<std::string>> keyring_get(const std::string& name) = 0;
  virtual Result<void> keyring_put(const std::string& name, const std::string& blob) = 0;
  // The next number of a user id prefix (1, 2, ...), persisted.
  virtual Result<long long> next_user_number(char prefix) = 0;
  // Reserves `count` numbers of a prefix at once (bulk registration); returns the first.
  virtual Result<long long> reserve_user_numbers(char prefix, long long count) = 0;

  virtual Result<void> put_municipality(const Municipality& m) = 0;
  virtual Result<std::optional<Municipality>> get_municipality(const std::string& code) = 0;

  // Inserts or updates name and address (the administrator and the owning
  // municipality are kept).
  virtual Result<void> put_hospital(const Hospital& h) = 0;
  virtual Result<std::optional<Hospital>> get_hospital(const std::string& number) = 0;
  virtual Result<void> set_hospital_admin(const std::string& number,
                                          const std::string& user_id) = 0;

  virtual Result<void> insert_user(const UserRow& u) = 0;
  virtual Result<void> update_user(const UserRow& u) = 0;
  virtual Result<std::optional<UserRow>> get_user(const std::string& user_id) = 0;
  virtual Result<void> delete_user(const std::string& user_id) = 0;  // cascades
  virtual Result<std::vector<UserRow>> users_of_hospital(const std::string& number) = 0;
  virtual Result<long long> count_users(const std::string& role) = 0;

  virtual Result<void> insert_doctor(const DoctorRow& d) = 0;
  virtual Result<std::optional<DoctorRow>> get_doctor(const std::string& user_id) = 0;
  virtual Result<std::optional<std::string>> doctor_by_registration(
      const std::string& registration_index) = 0;
  // Users holding a designation (not ended) of the municipality, in registration order.
  virtual Result<std::vector<UserRow>> doctors_of_municipality(const std::string& code) = 0;

  virtual Result<long long> insert_designation(const DesignationRow& d) = 0;  // returns the id
  virtual Result<void> update_designation(const DesignationRow& d) = 0;
  virtual Result<std::optional<DesignationRow>> get_designation(long long id) = 0;
  virtual Result<std::vector<DesignationRow>> designations_of(const std::string& user_id) = 0;
  // The municipality's designations that are not ended, with their doctors.
  virtual Result<std::vector<std::pair<UserRow, DesignationRow>>> designations_of_municipality(
      const std::string& code) = 0;
  // The earliest registered doctor of a hospital, if any (責任者 succession).
  virtual Result<std::optional<std::string>> first_doctor_of_hospital(
      const std::string& number) = 0;

  // The hospitals of the user's APPROVED 兼務先 only (work_hospitals(): access).
  virtual Result<std::vector<std::string>> affiliations(const std::string& user_id) = 0;
  // Every 兼務先 row of a doctor, or every row naming a hospital; by hospital / request time.
  virtual Result<std::vector<AffiliationRow>> affiliation_rows_of_user(
      const std::string& user_id) = 0;
  virtual Result<std::vector<AffiliationRow>> affiliation_rows_of_hospital(
      const std::string& hospital) = 0;
  virtual Result<std::optional<AffiliationRow>> get_affiliation(const std::string& user_id,
                                                                const std::string& hospital) = 0;
  // Inserts the row or replaces the one of the same (user_id, hospital).
  virtual Result<void> put_affiliation(const AffiliationRow& row) = 0;
  virtual Result<bool> remove_affiliation(const std::string& user_id,
                                          const std::string& hospital) = 0;

  virtual Result<void> insert_session(const SessionRow& s) = 0;
  virtual Result<std::optional<SessionRow>> get_session(const std::string& id_hash) = 0;
  virtual Result<void> touch_session(const std::string& id_hash, const std::string& last_seen) = 0;
  virtual Result<void> delete_session(const std::string& id_hash) = 0;
  virtual Result<std::size_t> delete_user_sessions(const std::string& user_id) = 0;
  // The user's sessions opened from a terminal of `hospital` (a 兼務先 removed).
  virtual Result<std::size_t> delete_user_sessions_at(const std::string& user_id,
                                                      const std::string& hospital) = 0;
  // Every session of the user but `keep_id_hash` (after a password change).
  virtual Result<std::size_t> delete_other_sessions(const std::string& user_id,
                                                    const std::string& keep_id_hash) = 0;
};

// Opens or creates the SQLite database (WAL, foreign keys, 5 s busy timeout,
// mode 0600) and applies the migrations it lacks (schema_migrations table).
Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& path);
// One more connection to a database open_sqlite_store() has opened and migrated
// (connection_pool.h: one per concurrent call).
Result<std::unique_ptr<Store>> open_sqlite_connection(const std::filesystem::path& path);

// Schema version the code expects (the highest migration).
int sqlite_schema_version();

}  // namespace nanbyo::appcore
