// The SQLite implementation of Store (internal; use open_sqlite_store()).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "appcore/core/store.h"

namespace nanbyo::appcore::detail {

Error storage_error(const SQLite::Exception& e);

// The users columns in the order read_user() expects.
inline constexpr const char* kUserColumns =
    "user_id, role, COALESCE(hospital,''), COALESCE(municipality,''), name_enc, kana_enc, "
    "email_enc, question_enc, answer_enc, password_hash, password_expires_at, failed_logins, "
    "locked, setup_step, setup_full, created_at";
// Reads the 16 columns of kUserColumns from column `first` on.
UserRow read_user(SQLite::Statement& q, int first = 0);
std::string blob(SQLite::Statement& q, int column);
void bind_blob(SQLite::Statement& q, int index, const std::string& bytes);

// Runs f, turning a SQLiteCpp exception into an Errc::Internal error.
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception& e) {
    return storage_error(e);
  }
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}

  Result<void> transaction(const std::function<Result<void>()>& body) override;
  Result<void> set_bulk_mode(bool on) override;
  Result<void> checkpoint() override;
  Result<std::optional<std::string>> keyring_get(const std::string& name) override;
  Result<void> keyring_put(const std::string& name, const std::string& blob) override;
  Result<long long> next_user_number(char prefix) override;
  Result<long long> reserve_user_numbers(char prefix, long long count) override;
  Result<void> put_municipality(const Municipality& m) override;
  Result<std::optional<Municipality>> get_municipality(const std::string& code) override;
  Result<void> put_hospital(const Hospital& h) override;
  Result<std::optional<Hospital>> get_hospital(const std::string& number) override;
  Result<void> set_hospital_admin(const std::string& number, const std::string& user_id) override;
  Result<void> insert_user(const UserRow& u) override;
  Result<void> update_user(const UserRow& u) override;
  Result<std::optional<UserRow>> get_user(const std::string& user_id) override;
  Result<void> delete_user(const std::string& user_id) override;
  Result<std::vector<UserRow>> users_of_hospital(const std::string& number) override;
  Result<long long> count_users(const std::string& role) override;
  Result<void> insert_doctor(const DoctorRow& d) override;
  Result<std::optional<DoctorRow>> get_doctor(const std::string& user_id) override;
  Result<std::optional<std::string>> doctor_by_registration(const std::string& index) override;
  Result<std::vector<UserRow>> doctors_of_municipality(const std::string& code) override;
  Result<long long> insert_designation(const DesignationRow& d) override;
  Result<void> update_designation(const DesignationRow& d) override;
  Result<std::optional<DesignationRow>> get_designation(long long id) override;
  Result<std::vector<DesignationRow>> designations_of(const std::string& user_id) override;
  Result<std::vector<std::pair<UserRow, DesignationRow>>> designations_of_municipality(
      const std::string& code) override;
  Result<std::optional<std::string>> first_doctor_of_hospital(const std::string& number) override;
  Result<std::vector<std::string>> affiliations(const std::string& user_id) override;
  Result<std::vector<AffiliationRow>> affiliation_rows_of_user(const std::string& user_id) override;
  Result<std::vector<AffiliationRow>> affiliation_rows_of_hospital(
      const std::string& hospital) override;
  Result<std::optional<AffiliationRow>> get_affiliation(const std::string& user_id,
                                                        const std::string& hospital) override;
  Result<void> put_affiliation(const AffiliationRow& row) override;
  Result<bool> remove_affiliation(const std::string& user_id, const std::string& hospital) override;
  Result<void> insert_session(const SessionRow& s) override;
  Result<std::optional<SessionRow>> get_session(const std::string& id_hash) override;
  Result<void> touch_session(const std::string& id_hash, const std::string& last_seen) override;
  Result<void> delete_session(const std::string& id_hash) override;
  Result<std::size_t> delete_user_sessions(const std::string& user_id) override;
  Result<std::size_t> delete_user_sessions_at(const std::string& user_id,
                                              const std::string& hospital) override;
  Result<std::size_t> delete_other_sessions(const std::string& user_id,
                                            const std::string& keep_id_hash) override;

 private:
  // Prepared once and reused (a bulk import runs the same few statements 147,000 times).
  SQLite::Statement& statement(const char* sql);
  // Runs one store operation and resets the statements it used afterwards: a
  // statement left mid-result would hold a read snapshot open, and the write
  // of another connection (the key registry's) would then make ours fail busy.
  template <typename F>
  auto run(F&& f) -> decltype(f()) {
    struct Release {
      SqliteStore& s;
      ~Release() { s.release_statements(); }
    } release{*this};
    return guarded(std::forward<F>(f));
  }
  void release_statements() noexcept;

  std::unique_ptr<SQLite::Database> db_;
  std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> statements_;
  std::vector<SQLite::Statement*> used_;
  bool in_transaction_ = false;
};

}  // namespace nanbyo::appcore::detail
