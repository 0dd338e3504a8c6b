#include "pki/ca_store.h"

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

namespace nanbyo::pki {
namespace fs = std::filesystem;
namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS certificates(
  serial TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  hospital TEXT NOT NULL DEFAULT '',
  terminal TEXT NOT NULL DEFAULT '',
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'valid' CHECK(status IN ('valid','revoked')),
  revoked_at TEXT NOT NULL DEFAULT '',
  reason INTEGER NOT NULL DEFAULT 0,
  pem TEXT NOT NULL,
  pkcs12_path TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS certificates_by_hospital ON certificates(hospital);
CREATE TABLE IF NOT EXISTS crl_numbers(issuer TEXT PRIMARY KEY, number INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL, action TEXT NOT NULL, serial TEXT NOT NULL, detail TEXT NOT NULL);
)sql";

Error database_error(const fs::path& path, const SQLite::Exception& e) {
  int code = e.getErrorCode() & 0xff;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    return fail("CA database is locked by another process: " + path.string());
  }
  return fail("CA database error in " + path.string() + ": " + e.what());
}

CertificateRecord read_record(SQLite::Statement& q) {
  CertificateRecord r;
  r.serial = q.getColumn(0).getString();
  r.kind = q.getColumn(1).getString();
  r.subject = q.getColumn(2).getString();
  r.hospital = q.getColumn(3).getString();
  r.terminal = q.getColumn(4).getString();
  r.not_before = q.getColumn(5).getString();
  r.not_after = q.getColumn(6).getString();
  r.issued_at = q.getColumn(7).getString();
  r.status = q.getColumn(8).getString();
  r.revoked_at = q.getColumn(9).getString();
  r.reason = q.getColumn(10).getInt();
  r.pem = q.getColumn(11).getString();
  r.pkcs12_path = q.getColumn(12).getString();
  return r;
}

constexpr const char* kColumns =
    "serial, kind, subject, hospital, terminal, not_before, not_after, issued_at, status, "
    "revoked_at, reason, pem, pkcs12_path";

}  // namespace

template <typename F>
auto CaStore::guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception& e) {
    return database_error(path_, e);
  }
}

Result<CaStore> CaStore::open(const fs::path& path, bool create) {
  std::error_code ec;
  if (!create && !fs::exists(path, ec)) {
    return fail("CA database not found: " + path.string() + " (run `nanbyo-pki init` first)");
  }
  try {
    int flags = SQLite::OPEN_READWRITE | (create ? SQLite::OPEN_CREATE : 0);
    auto db = std::make_unique<SQLite::Database>(path.string(), flags, 1500);
    db->exec("PRAGMA foreign_keys=ON");
    if (create) {
      db->exec(kSchema);
      db->exec("INSERT OR REPLACE INTO meta VALUES('schema_version', '" +
               std::to_string(kSchemaVersion) + "')");
    } else {
      SQLite::Statement q(*db, "SELECT value FROM meta WHERE key='schema_version'");
      if (!q.executeStep() || q.getColumn(0).getString() != std::to_string(kSchemaVersion)) {
        return fail("CA database " + path.string() + " has an unknown schema version");
      }
    }
    return CaStore(path, std::move(db));
  } catch (const SQLite::Exception& e) {
    if ((e.getErrorCode() & 0xff) == SQLITE_NOTADB) {
      return fail("not a CA database (file is corrupt or of another kind): " + path.string());
    }
    return database_error(path, e);
  }
}

Result<void> CaStore::write(const std::function<Result<void>()>& work) {
  return guarded([&]() -> Result<void> {
    db_->exec("BEGIN IMMEDIATE");
    try {
      auto result = work();
      db_->exec(result ? "COMMIT" : "ROLLBACK");
      return result;
    } catch (...) {
      db_->exec("ROLLBACK");
      throw;
    }
  });
}

Result<void> CaStore::insert(const CertificateRecord& r) {
  return guarded([&]() -> Result<void> {
    SQLite::Statement q(*db_, std::string("INSERT INTO certificates(") + kColumns +
                                  ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    q.bind(1, r.serial);
    q.bind(2, r.kind);
    q.bind(3, r.subject);
    q.bind(4, r.hospital);
    q.bind(5, r.terminal);
    q.bind(6, r.not_before);
    q.bind(7, r.not_after);
    q.bind(8, r.issued_at);
    q.bind(9, r.status);
    q.bind(10, r.revoked_at);
    q.bind(11, r.reason);
    q.bind(12, r.pem);
    q.bind(13, r.pkcs12_path);
    q.exec();
    return {};
  });
}

Result<std::optional<CertificateRecord>> CaStore::find(const std::string& serial) {
  return guarded([&]() -> Result<std::optional<CertificateRecord>> {
    SQLite::Statement q(*db_,
                        std::string("SELECT ") + kColumns + " FROM certificates WHERE serial=?");
    q.bind(1, serial);
    if (!q.executeStep()) return std::optional<CertificateRecord>();
    return std::optional<CertificateRecord>(read_record(q));
  });
}

Result<std::vector<CertificateRecord>> CaStore::list(const CertificateFilter& filter) {
  return guarded([&]() -> Result<std::vector<CertificateRecord>> {
    SQLite::Statement q(*db_, std::string("SELECT ") + kColumns +
                                  " FROM certificates WHERE (?1='' OR hospital=?1) AND "
                                  "(?2='' OR kind=?2) ORDER BY rowid");
    q.bind(1, filter.hospital);
    q.bind(2, filter.kind);
    std::vector<CertificateRecord> out;
    while (q.executeStep()) out.push_back(read_record(q));
    return out;
  });
}

Result<void> CaStore::forget_pkcs12(const std::string& serial) {
  return guarded([&]() -> Result<void> {
    SQLite::Statement q(*db_, "UPDATE certificates SET pkcs12_path='' WHERE serial=?");
    q.bind(1, serial);
    q.exec();
    return {};
  });
}

Result<void> CaStore::mark_revoked(const std::string& serial, int reason, const std::string& at) {
  return guarded([&]() -> Result<void> {
    SQLite::Statement q(*db_,
                        "UPDATE certificates SET status='revoked', reason=?, revoked_at=? "
                        "WHERE serial=? AND status='valid'");
    q.bind(1, reason);
    q.bind(2, at);
    q.bind(3, serial);
    if (q.exec() != 1) return fail("certificate " + serial + " is not valid; nothing revoked");
    return {};
  });
}

Result<int64_t> CaStore::next_crl_number(const std::string& issuer) {
  return guarded([&]() -> Result<int64_t> {
    SQLite::Statement up(*db_,
                         "INSERT INTO crl_numbers VALUES(?, 1) "
                         "ON CONFLICT(issuer) DO UPDATE SET number = number + 1");
    up.bind(1, issuer);
    up.exec();
    SQLite::Statement q(*db_, "SELECT number FROM crl_numbers WHERE issuer=?");
    q.bind(1, issuer);
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

Result<void> CaStore::log_event(const std::string& at, const std::string& action,
                                const std::string& serial, const std::string& detail) {
  return guarded([&]() -> Result<void> {
    SQLite::Statement q(*db_, "INSERT INTO events(at, action, serial, detail) VALUES(?,?,?,?)");
    q.bind(1, at);
    q.bind(2, action);
    q.bind(3, serial);
    q.bind(4, detail);
    q.exec();
    return {};
  });
}

Result<std::string> CaStore::meta(const std::string& key) {
  return guarded([&]() -> Result<std::string> {
    SQLite::Statement q(*db_, "SELECT value FROM meta WHERE key=?");
    q.bind(1, key);
    if (!q.executeStep()) return fail("CA database has no '" + key + "' setting");
    return q.getColumn(0).getString();
  });
}

Result<void> CaStore::set_meta(const std::string& key, const std::string& value) {
  return guarded([&]() -> Result<void> {
    SQLite::Statement q(*db_, "INSERT OR REPLACE INTO meta VALUES(?, ?)");
    q.bind(1, key);
    q.bind(2, value);
    q.exec();
    return {};
  });
}

}  // namespace nanbyo::pki
