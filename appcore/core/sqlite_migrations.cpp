#include "appcore/core/sqlite_migrations.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <span>
#include <string>

#include "appcore/core/errors.h"

namespace nanbyo::appcore::detail {
namespace {

// Append only: a released migration is never edited (databases in the field ran it).
constexpr Migration kMigrations[]{
    {1, R"sql(
CREATE TABLE keyring(name TEXT PRIMARY KEY, blob BLOB NOT NULL);
CREATE TABLE id_counters(prefix TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE municipalities(code TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE hospitals(
  number TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  admin_user TEXT REFERENCES users(user_id) ON DELETE SET NULL);
CREATE TABLE users(
  user_id TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  hospital TEXT REFERENCES hospitals(number),
  municipality TEXT REFERENCES municipalities(code),
  name_enc BLOB NOT NULL,
  kana_enc BLOB NOT NULL,
  email_enc BLOB NOT NULL DEFAULT x'',
  question_enc BLOB NOT NULL DEFAULT x'',
  answer_enc BLOB NOT NULL DEFAULT x'',
  password_hash TEXT NOT NULL,
  password_expires_at TEXT NOT NULL DEFAULT '',
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked INTEGER NOT NULL DEFAULT 0,
  setup_step INTEGER NOT NULL,
  setup_full INTEGER NOT NULL,
  created_at TEXT NOT NULL);
CREATE INDEX users_by_hospital ON users(hospital);
CREATE TABLE doctors(
  user_id TEXT PRIMARY KEY REFERENCES users(user_id) ON DELETE CASCADE,
  registration_index BLOB NOT NULL UNIQUE,
  registration_enc BLOB NOT NULL,
  department TEXT NOT NULL DEFAULT '',
  designated_on TEXT NOT NULL DEFAULT '',
  expires_on TEXT NOT NULL DEFAULT '',
  doctor_number TEXT NOT NULL DEFAULT '');
CREATE TABLE affiliations(
  user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  hospital TEXT NOT NULL REFERENCES hospitals(number),
  PRIMARY KEY(user_id, hospital));
CREATE TABLE sessions(
  id_hash BLOB PRIMARY KEY,
  csrf_hash BLOB NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  hospital TEXT NOT NULL,
  terminal TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen TEXT NOT NULL);
CREATE INDEX sessions_by_user ON sessions(user_id);
)sql"},
    // Designations (ID-1): one ID per person, one row per designation. Every
    // doctor of version 1 keeps the one designation it had, under the
    // municipality that registered it; the per-doctor columns move here.
    {2, R"sql(
CREATE TABLE designations(
  id INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  program TEXT NOT NULL CHECK(program IN ('nanbyo','shoman')),
  kind TEXT NOT NULL
    CHECK(kind IN ('nanbyo-doctor','cooperating-doctor','pediatric-doctor')),
  municipality TEXT NOT NULL REFERENCES municipalities(code),
  hospital TEXT NOT NULL REFERENCES hospitals(number),
  department TEXT NOT NULL DEFAULT '',
  doctor_number TEXT NOT NULL DEFAULT '',
  designated_on TEXT NOT NULL DEFAULT '',
  expires_on TEXT NOT NULL DEFAULT '',
  ended INTEGER NOT NULL DEFAULT 0,
  ended_on TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL);
CREATE INDEX designations_by_user ON designations(user_id);
CREATE INDEX designations_by_municipality ON designations(municipality, ended);
INSERT INTO designations(user_id, program, kind, municipality, hospital, department,
                         doctor_number, designated_on, expires_on, created_at)
  SELECT u.user_id, CASE u.role WHEN 'pediatric-doctor' THEN 'shoman' ELSE 'nanbyo' END,
         u.role, u.municipality, u.hospital, d.department, d.doctor_number, d.designated_on,
         d.expires_on, u.created_at
  FROM doctors d JOIN users u ON u.user_id = d.user_id
  ORDER BY u.rowid;
ALTER TABLE doctors DROP COLUMN department;
ALTER TABLE doctors DROP COLUMN designated_on;
ALTER TABLE doctors DROP COLUMN expires_on;
ALTER TABLE doctors DROP COLUMN doctor_number;
)sql"},
    // 兼務先 by consent (ID-8, issue 12): a 兼務先 is a request that grants
    // nothing until the hospital's 責任者 approves it, with the seed's
    // per-兼務先 fields. The 兼務先 of earlier versions were self-declared
    // without consent: they become pending requests (dated at the upgrade),
    // so each 兼務先's 責任者 must approve them before they grant access again.
    {3, R"sql(
CREATE TABLE affiliations_v3(
  user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  hospital TEXT NOT NULL REFERENCES hospitals(number),
  state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending','approved','rejected')),
  department TEXT NOT NULL DEFAULT '',
  visible INTEGER NOT NULL DEFAULT 1,
  contact_enc BLOB NOT NULL DEFAULT x'',
  requested_at TEXT NOT NULL,
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(user_id, hospital));
INSERT INTO affiliations_v3(user_id, hospital, state, requested_at)
  SELECT user_id, hospital, 'pending', strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM affiliations;
DROP TABLE affiliations;
ALTER TABLE affiliations_v3 RENAME TO affiliations;
CREATE INDEX affiliations_by_hospital ON affiliations(hospital, state);
)sql"},
    // Sessions bound to the client certificate used at login (issue 12). Version 3
    // is 兼務先 consent (another branch); this one touches only `sessions`, so the
    // two apply in either order. Sessions of before keep "" and end at their next
    // use from a terminal with a certificate (the serial differs): log in again.
    {4, R"sql(
ALTER TABLE sessions ADD COLUMN cert_serial TEXT NOT NULL DEFAULT '';
)sql"},
    // Issue 12: a hospital belongs to the municipality that registered it (it
    // alone edits it). Known ones go to the municipality of their first designation.
    {5, R"sql(
ALTER TABLE hospitals ADD COLUMN municipality TEXT NOT NULL DEFAULT '';
UPDATE hospitals SET municipality = COALESCE(
  (SELECT d.municipality FROM designations d WHERE d.hospital = hospitals.number
   ORDER BY d.id LIMIT 1), '');
)sql"},
#ifdef NANBYO_UPGRADE_TEST_MIGRATION
    // The upgrade test's next release: issue 13 part 7. Only nanbyo-appcore-next
    // (tests/packaging, never packaged) has it: a new column of the existing
    // doctors computed from their designations, and an index, for upgrade_root.sh
    // to find after installing that binary over a used database. It stays last,
    // one above the released versions (a real version 6 renumbers it).
    {6, R"sql(
ALTER TABLE doctors ADD COLUMN first_designated_on TEXT NOT NULL DEFAULT '';
UPDATE doctors SET first_designated_on = COALESCE(
  (SELECT MIN(d.designated_on) FROM designations d
   WHERE d.user_id = doctors.user_id AND d.designated_on <> ''), '');
CREATE INDEX doctors_by_first_designation ON doctors(first_designated_on);
)sql"},
#endif
};

}  // namespace

int latest_schema_version() {
  return std::span(kMigrations).back().version;
}

Result<void> apply_migrations(SQLite::Database& db, const std::string& table,
                              std::span<const Migration> migrations, const std::string& what) {
  try {
    db.exec("CREATE TABLE IF NOT EXISTS " + table +
            "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    const int current = db.execAndGet("SELECT COALESCE(MAX(version), 0) FROM " + table).getInt();
    if (!migrations.empty() && current > migrations.back().version) {
      return fail(Errc::Internal, "the " + what + " (version " + std::to_string(current) +
                                      ") is newer than this program; upgrade nanbyo-appcore");
    }
    for (const auto& m : migrations) {
      if (m.version <= current) continue;
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      db.exec(m.sql);
      SQLite::Statement q(db, "INSERT INTO " + table +
                                  "(version, applied_at) "
                                  "VALUES(?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))");
      q.bind(1, m.version);
      q.exec();
      tx.commit();
    }
    return {};
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, what + " migration failed: " + e.what());
  }
}

Result<void> migrate(SQLite::Database& db) {
  return apply_migrations(db, "schema_migrations", kMigrations, "database schema");
}

}  // namespace nanbyo::appcore::detail
