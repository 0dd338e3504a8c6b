// SqliteStore: a doctor's 兼務先 with their consent state (ID-8, affiliation.h).
#include <SQLiteCpp/Statement.h>

#include "appcore/core/errors.h"
#include "appcore/core/sqlite_store.h"

namespace nanbyo::appcore::detail {
namespace {

constexpr const char* kAffiliationColumns =
    "user_id, hospital, state, department, visible, contact_enc, requested_at, decided_by, "
    "decided_at, reason";

AffiliationRow read_affiliation(SQLite::Statement& q) {
  AffiliationRow r;
  r.user_id = q.getColumn(0).getString();
  r.hospital = q.getColumn(1).getString();
  r.state = q.getColumn(2).getString();
  r.department = q.getColumn(3).getString();
  r.visible = q.getColumn(4).getInt() != 0;
  r.contact_enc = blob(q, 5);
  r.requested_at = q.getColumn(6).getString();
  r.decided_by = q.getColumn(7).getString();
  r.decided_at = q.getColumn(8).getString();
  r.reason = q.getColumn(9).getString();
  return r;
}

}  // namespace

Result<std::vector<std::string>> SqliteStore::affiliations(const std::string& user_id) {
  return run([&]() -> Result<std::vector<std::string>> {
    auto& q = statement(
        "SELECT hospital FROM affiliations WHERE user_id=? AND state='approved' ORDER BY hospital");
    q.bind(1, user_id);
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  });
}

Result<std::vector<AffiliationRow>> SqliteStore::affiliation_rows_of_user(
    const std::string& user_id) {
  return run([&]() -> Result<std::vector<AffiliationRow>> {
    static const std::string sql = std::string("SELECT ") + kAffiliationColumns +
                                   " FROM affiliations WHERE user_id=? ORDER BY hospital";
    auto& q = statement(sql.c_str());
    q.bind(1, user_id);
    std::vector<AffiliationRow> out;
    while (q.executeStep()) out.push_back(read_affiliation(q));
    return out;
  });
}

Result<std::vector<AffiliationRow>> SqliteStore::affiliation_rows_of_hospital(
    const std::string& hospital) {
  return run([&]() -> Result<std::vector<AffiliationRow>> {
    static const std::string sql = std::string("SELECT ") + kAffiliationColumns +
                                   " FROM affiliations WHERE hospital=? "
                                   "ORDER BY requested_at, user_id";
    auto& q = statement(sql.c_str());
    q.bind(1, hospital);
    std::vector<AffiliationRow> out;
    while (q.executeStep()) out.push_back(read_affiliation(q));
    return out;
  });
}

Result<std::optional<AffiliationRow>> SqliteStore::get_affiliation(const std::string& user_id,
                                                                   const std::string& hospital) {
  return run([&]() -> Result<std::optional<AffiliationRow>> {
    static const std::string sql = std::string("SELECT ") + kAffiliationColumns +
                                   " FROM affiliations WHERE user_id=? AND hospital=?";
    auto& q = statement(sql.c_str());
    q.bind(1, user_id);
    q.bind(2, hospital);
    if (!q.executeStep()) return std::optional<AffiliationRow>();
    return std::optional<AffiliationRow>(read_affiliation(q));
  });
}

Result<void> SqliteStore::put_affiliation(const AffiliationRow& r) {
  return run([&]() -> Result<void> {
    auto& q = statement(
        "INSERT INTO affiliations(user_id, hospital, state, department, visible, contact_enc, "
        "requested_at, decided_by, decided_at, reason) VALUES(?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(user_id, hospital) DO UPDATE SET state=excluded.state, "
        "department=excluded.department, visible=excluded.visible, "
        "contact_enc=excluded.contact_enc, requested_at=excluded.requested_at, "
        "decided_by=excluded.decided_by, decided_at=excluded.decided_at, "
        "reason=excluded.reason");
    q.bind(1, r.user_id);
    q.bind(2, r.hospital);
    q.bind(3, r.state);
    q.bind(4, r.department);
    q.bind(5, r.visible ? 1 : 0);
    bind_blob(q, 6, r.contact_enc);
    q.bind(7, r.requested_at);
    q.bind(8, r.decided_by);
    q.bind(9, r.decided_at);
    q.bind(10, r.reason);
    q.exec();
    return {};
  });
}

Result<bool> SqliteStore::remove_affiliation(const std::string& user_id,
                                             const std::string& hospital) {
  return run([&]() -> Result<bool> {
    auto& q = statement("DELETE FROM affiliations WHERE user_id=? AND hospital=?");
    q.bind(1, user_id);
    q.bind(2, hospital);
    return q.exec() > 0;
  });
}

}  // namespace nanbyo::appcore::detail
