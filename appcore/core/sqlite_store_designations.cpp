// SqliteStore: designations of doctors (designation.h).
#include <SQLiteCpp/Statement.h>

#include "appcore/core/errors.h"
#include "appcore/core/sqlite_store.h"

namespace nanbyo::appcore::detail {
namespace {

constexpr const char* kDesignationColumns =
    "id, user_id, program, kind, municipality, hospital, department, doctor_number, "
    "designated_on, expires_on, ended, ended_on, created_at";

DesignationRow read_designation(SQLite::Statement& q, int o = 0) {
  DesignationRow d;
  d.id = q.getColumn(o).getInt64();
  d.user_id = q.getColumn(o + 1).getString();
  d.program = q.getColumn(o + 2).getString();
  d.kind = q.getColumn(o + 3).getString();
  d.municipality = q.getColumn(o + 4).getString();
  d.hospital = q.getColumn(o + 5).getString();
  d.department = q.getColumn(o + 6).getString();
  d.doctor_number = q.getColumn(o + 7).getString();
  d.designated_on = q.getColumn(o + 8).getString();
  d.expires_on = q.getColumn(o + 9).getString();
  d.ended = q.getColumn(o + 10).getInt() != 0;
  d.ended_on = q.getColumn(o + 11).getString();
  d.created_at = q.getColumn(o + 12).getString();
  return d;
}

// Binds the columns after id, from index 2 (index 1 is the id).
void bind_designation(SQLite::Statement& q, const DesignationRow& d) {
  q.bind(2, d.user_id);
  q.bind(3, d.program);
  q.bind(4, d.kind);
  q.bind(5, d.municipality);
  q.bind(6, d.hospital);
  q.bind(7, d.department);
  q.bind(8, d.doctor_number);
  q.bind(9, d.designated_on);
  q.bind(10, d.expires_on);
  q.bind(11, d.ended ? 1 : 0);
  q.bind(12, d.ended_on);
  q.bind(13, d.created_at);
}

}  // namespace

Result<long long> SqliteStore::insert_designation(const DesignationRow& d) {
  return run([&]() -> Result<long long> {
    auto& q = statement(
        "INSERT INTO designations(id, user_id, program, kind, municipality, hospital, department, "
        "doctor_number, designated_on, expires_on, ended, ended_on, created_at) "
        "VALUES(NULL,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)");
    bind_designation(q, d);
    q.exec();
    return db_->getLastInsertRowid();
  });
}

Result<void> SqliteStore::update_designation(const DesignationRow& d) {
  return run([&]() -> Result<void> {
    auto& q = statement(
        "UPDATE designations SET user_id=?2, program=?3, kind=?4, municipality=?5, hospital=?6, "
        "department=?7, doctor_number=?8, designated_on=?9, expires_on=?10, ended=?11, "
        "ended_on=?12, created_at=?13 WHERE id=?1");
    q.bind(1, static_cast<int64_t>(d.id));
    bind_designation(q, d);
    if (q.exec() != 1) return fail(Errc::NotFound, "no such designation");
    return {};
  });
}

Result<std::optional<DesignationRow>> SqliteStore::get_designation(long long id) {
  return run([&]() -> Result<std::optional<DesignationRow>> {
    static const std::string sql =
        std::string("SELECT ") + kDesignationColumns + " FROM designations WHERE id=?";
    auto& q = statement(sql.c_str());
    q.bind(1, static_cast<int64_t>(id));
    if (!q.executeStep()) return std::optional<DesignationRow>();
    return std::optional<DesignationRow>(read_designation(q));
  });
}

Result<std::vector<DesignationRow>> SqliteStore::designations_of(const std::string& user_id) {
  return run([&]() -> Result<std::vector<DesignationRow>> {
    static const std::string sql = std::string("SELECT ") + kDesignationColumns +
                                   " FROM designations WHERE user_id=? ORDER BY id";
    auto& q = statement(sql.c_str());
    q.bind(1, user_id);
    std::vector<DesignationRow> out;
    while (q.executeStep()) out.push_back(read_designation(q));
    return out;
  });
}

Result<std::vector<UserRow>> SqliteStore::doctors_of_municipality(const std::string& code) {
  return run([&]() -> Result<std::vector<UserRow>> {
    static const std::string sql = std::string("SELECT ") + kUserColumns +
                                   " FROM users WHERE user_id IN (SELECT user_id FROM designations "
                                   "WHERE municipality=? AND ended=0) ORDER BY rowid";
    auto& q = statement(sql.c_str());
    q.bind(1, code);
    std::vector<UserRow> out;
    while (q.executeStep()) out.push_back(read_user(q));
    return out;
  });
}

Result<std::vector<std::pair<UserRow, DesignationRow>>> SqliteStore::designations_of_municipality(
    const std::string& code) {
  return run([&]() -> Result<std::vector<std::pair<UserRow, DesignationRow>>> {
    static const char* sql =
        "SELECT u.user_id, u.role, COALESCE(u.hospital,''), COALESCE(u.municipality,''), "
        "u.name_enc, u.kana_enc, u.email_enc, u.question_enc, u.answer_enc, u.password_hash, "
        "u.password_expires_at, u.failed_logins, u.locked, u.setup_step, u.setup_full, "
        "u.created_at, d.id, d.user_id, d.program, d.kind, d.municipality, d.hospital, "
        "d.department, d.doctor_number, d.designated_on, d.expires_on, d.ended, d.ended_on, "
        "d.created_at FROM designations d JOIN users u ON u.user_id = d.user_id "
        "WHERE d.municipality=? AND d.ended=0 ORDER BY d.id";
    auto& q = statement(sql);
    q.bind(1, code);
    std::vector<std::pair<UserRow, DesignationRow>> out;
    while (q.executeStep()) out.emplace_back(read_user(q), read_designation(q, 16));
    return out;
  });
}

}  // namespace nanbyo::appcore::detail
