// SqliteStore: users and doctors.
#include <SQLiteCpp/Statement.h>

#include "appcore/core/errors.h"
#include "appcore/core/sqlite_store.h"

namespace nanbyo::appcore::detail {

std::string blob(SQLite::Statement& q, int i) {
  auto c = q.getColumn(i);
  return std::string(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
}

void bind_blob(SQLite::Statement& q, int i, const std::string& b) {
  q.bind(i, b.data(), static_cast<int>(b.size()));
}

UserRow read_user(SQLite::Statement& q, int o) {
  UserRow u;
  u.user_id = q.getColumn(o + 0).getString();
  u.role = q.getColumn(o + 1).getString();
  u.hospital = q.getColumn(o + 2).getString();
  u.municipality = q.getColumn(o + 3).getString();
  u.name_enc = blob(q, o + 4);
  u.kana_enc = blob(q, o + 5);
  u.email_enc = blob(q, o + 6);
  u.question_enc = blob(q, o + 7);
  u.answer_enc = blob(q, o + 8);
  u.password_hash = q.getColumn(o + 9).getString();
  u.password_expires_at = q.getColumn(o + 10).getString();
  u.failed_logins = q.getColumn(o + 11).getInt();
  u.locked = q.getColumn(o + 12).getInt() != 0;
  u.setup_step = q.getColumn(o + 13).getInt();
  u.setup_full = q.getColumn(o + 14).getInt() != 0;
  u.created_at = q.getColumn(o + 15).getString();
  return u;
}

namespace {

// Binds the 16 user columns from index 1 in kUserColumns order.
void bind_user(SQLite::Statement& q, const UserRow& u) {
  q.bind(1, u.user_id);
  q.bind(2, u.role);
  q.bind(3, u.hospital);
  q.bind(4, u.municipality);
  bind_blob(q, 5, u.name_enc);
  bind_blob(q, 6, u.kana_enc);
  bind_blob(q, 7, u.email_enc);
  bind_blob(q, 8, u.question_enc);
  bind_blob(q, 9, u.answer_enc);
  q.bind(10, u.password_hash);
  q.bind(11, u.password_expires_at);
  q.bind(12, u.failed_logins);
  q.bind(13, u.locked ? 1 : 0);
  q.bind(14, u.setup_step);
  q.bind(15, u.setup_full ? 1 : 0);
  q.bind(16, u.created_at);
}

void bind_doctor(SQLite::Statement& q, const DoctorRow& d) {
  q.bind(1, d.user_id);
  bind_blob(q, 2, d.registration_index);
  bind_blob(q, 3, d.registration_enc);
}

}  // namespace

Result<void> SqliteStore::insert_user(const UserRow& u) {
  return run([&]() -> Result<void> {
    auto& q = statement(
        "INSERT INTO users(user_id, role, hospital, municipality, name_enc, kana_enc, email_enc, "
        "question_enc, answer_enc, password_hash, password_expires_at, failed_logins, locked, "
        "setup_step, setup_full, created_at) "
        "VALUES(?,?,NULLIF(?3,''),NULLIF(?4,''),?,?,?,?,?,?,?,?,?,?,?,?)");
    bind_user(q, u);
    q.exec();
    return {};
  });
}

Result<void> SqliteStore::update_user(const UserRow& u) {
  return run([&]() -> Result<void> {
    auto& q = statement(
        "UPDATE users SET role=?2, hospital=NULLIF(?3,''), municipality=NULLIF(?4,''), "
        "name_enc=?5, kana_enc=?6, email_enc=?7, question_enc=?8, answer_enc=?9, "
        "password_hash=?10, password_expires_at=?11, failed_logins=?12, locked=?13, "
        "setup_step=?14, setup_full=?15, created_at=?16 WHERE user_id=?1");
    bind_user(q, u);
    if (q.exec() != 1) return fail(Errc::NotFound, "user " + u.user_id + " does not exist");
    return {};
  });
}

Result<std::optional<UserRow>> SqliteStore::get_user(const std::string& user_id) {
  return run([&]() -> Result<std::optional<UserRow>> {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users WHERE user_id=?";
    auto& q = statement(sql.c_str());
    q.bind(1, user_id);
    if (!q.executeStep()) return std::optional<UserRow>();
    return std::optional<UserRow>(read_user(q));
  });
}

Result<void> SqliteStore::delete_user(const std::string& user_id) {
  return run([&]() -> Result<void> {
    auto& q = statement("DELETE FROM users WHERE user_id=?");
    q.bind(1, user_id);
    q.exec();
    return {};
  });
}

Result<std::vector<UserRow>> SqliteStore::users_of_hospital(const std::string& number) {
  return run([&]() -> Result<std::vector<UserRow>> {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users WHERE hospital=? ORDER BY rowid";
    auto& q = statement(sql.c_str());
    q.bind(1, number);
    std::vector<UserRow> out;
    while (q.executeStep()) out.push_back(read_user(q));
    return out;
  });
}

Result<long long> SqliteStore::count_users(const std::string& role) {
  return run([&]() -> Result<long long> {
    auto& q = statement("SELECT COUNT(*) FROM users WHERE role=?");
    q.bind(1, role);
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

Result<void> SqliteStore::insert_doctor(const DoctorRow& d) {
  return run([&]() -> Result<void> {
    auto& q = statement(
        "INSERT INTO doctors(user_id, registration_index, registration_enc) VALUES(?,?,?)");
    bind_doctor(q, d);
    q.exec();
    return {};
  });
}

Result<std::optional<DoctorRow>> SqliteStore::get_doctor(const std::string& user_id) {
  return run([&]() -> Result<std::optional<DoctorRow>> {
    auto& q = statement(
        "SELECT user_id, registration_index, registration_enc FROM doctors WHERE user_id=?");
    q.bind(1, user_id);
    if (!q.executeStep()) return std::optional<DoctorRow>();
    return std::optional<DoctorRow>(DoctorRow{q.getColumn(0).getString(), blob(q, 1), blob(q, 2)});
  });
}

Result<std::optional<std::string>> SqliteStore::doctor_by_registration(const std::string& index) {
  return run([&]() -> Result<std::optional<std::string>> {
    auto& q = statement("SELECT user_id FROM doctors WHERE registration_index=?");
    bind_blob(q, 1, index);
    if (!q.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(q.getColumn(0).getString());
  });
}

Result<std::optional<std::string>> SqliteStore::first_doctor_of_hospital(
    const std::string& number) {
  return run([&]() -> Result<std::optional<std::string>> {
    auto& q = statement(
        "SELECT u.user_id FROM users u JOIN doctors d ON d.user_id = u.user_id "
        "WHERE u.hospital=? ORDER BY u.rowid LIMIT 1");
    q.bind(1, number);
    if (!q.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(q.getColumn(0).getString());
  });
}

}  // namespace nanbyo::appcore::detail
