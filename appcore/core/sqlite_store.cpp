// SqliteStore: connection set-up, transactions, keyring, counters, places
// (municipalities, hospitals) and sessions. Users and doctors: sqlite_store_users.cpp.
#include "appcore/core/sqlite_store.h"

#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "appcore/core/errors.h"
#include "appcore/core/sqlite_migrations.h"

namespace nanbyo::appcore {

using detail::guarded;

namespace detail {

Error storage_error(const SQLite::Exception& e) {
  if (e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED)
    return fail(Errc::Internal, "the database is busy; try again in a moment");
  return fail(Errc::Internal, std::string("storage: ") + e.what());
}

SQLite::Statement& SqliteStore::statement(const char* sql) {
  auto& slot = statements_[sql];
  if (!slot) {
    slot = std::make_unique<SQLite::Statement>(*db_, sql);
  } else {
    slot->reset();
    slot->clearBindings();
  }
  used_.push_back(slot.get());
  return *slot;
}

void SqliteStore::release_statements() noexcept {
  for (auto* s : used_) s->tryReset();
  used_.clear();
}

Result<void> SqliteStore::transaction(const std::function<Result<void>()>& body) {
  if (in_transaction_) return fail(Errc::Internal, "nested storage transaction");
  return run([&]() -> Result<void> {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    in_transaction_ = true;
    struct Reset {
      bool& flag;
      ~Reset() { flag = false; }
    } reset{in_transaction_};
    auto result = body();
    if (!result) return result;  // ~Transaction rolls back
    tx.commit();
    return {};
  });
}

Result<void> SqliteStore::set_bulk_mode(bool on) {
  // WAL: NORMAL syncs at checkpoints only; FULL syncs the WAL at every commit,
  // and with it every frame appended before. 1000 pages is SQLite's default.
  return run([&]() -> Result<void> {
    db_->exec(on ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
    db_->exec(on ? "PRAGMA wal_autocheckpoint=0" : "PRAGMA wal_autocheckpoint=1000");
    return {};
  });
}

Result<void> SqliteStore::checkpoint() {
  return run([&]() -> Result<void> {
    db_->exec("PRAGMA wal_checkpoint(PASSIVE)");
    return {};
  });
}

Result<std::optional<std::string>> SqliteStore::keyring_get(const std::string& name) {
  return run([&]() -> Result<std::optional<std::string>> {
    auto& q = statement("SELECT blob FROM keyring WHERE name=?");
    q.bind(1, name);
    if (!q.executeStep()) return std::optional<std::string>();
    auto c = q.getColumn(0);
    return std::optional<std::string>(
        std::string(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes())));
  });
}

Result<void> SqliteStore::keyring_put(const std::string& name, const std::string& blob) {
  return run([&]() -> Result<void> {
    auto& q = statement("INSERT INTO keyring(name, blob) VALUES(?,?)");
    q.bind(1, name);
    q.bind(2, blob.data(), static_cast<int>(blob.size()));
    q.exec();
    return {};
  });
}

Result<long long> SqliteStore::next_user_number(char prefix) {
  return run([&]() -> Result<long long> {
    auto& q = statement(
        "INSERT INTO id_counters(prefix, last) VALUES(?, 1) "
        "ON CONFLICT(prefix) DO UPDATE SET last = last + 1 RETURNING last");
    q.bind(1, std::string(1, prefix));
    q.executeStep();
    long long n = q.getColumn(0).getInt64();
    while (q.executeStep()) {
    }
    return n;
  });
}

Result<long long> SqliteStore::reserve_user_numbers(char prefix, long long count) {
  return run([&]() -> Result<long long> {
    auto& q = statement(
        "INSERT INTO id_counters(prefix, last) VALUES(?1, ?2) "
        "ON CONFLICT(prefix) DO UPDATE SET last = last + ?2 RETURNING last");
    q.bind(1, std::string(1, prefix));
    q.bind(2, static_cast<int64_t>(count));
    q.executeStep();
    long long last = q.getColumn(0).getInt64();
    while (q.executeStep()) {
    }
    return last - count + 1;
  });
}

Result<void> SqliteStore::put_municipality(const Municipality& m) {
  return run([&]() -> Result<void> {
    auto& q = statement(
        "INSERT INTO municipalities(code, name) VALUES(?,?) "
        "ON CONFLICT(code) DO UPDATE SET name=excluded.name");
    q.bind(1, m.code);
    q.bind(2, m.name);
    q.exec();
    return {};
  });
}

Result<std::optional<Municipality>> SqliteStore::get_municipality(const std::string& code) {
  return run([&]() -> Result<std::optional<Municipality>> {
    auto& q = statement("SELECT code, name FROM municipalities WHERE code=?");
    q.bind(1, code);
    if (!q.executeStep()) return std::optional<Municipality>();
    return std::optional<Municipality>(
        Municipality{q.getColumn(0).getString(), q.getColumn(1).getString()});
  });
}

Result<void> SqliteStore::put_hospital(const Hospital& h) {
  return run([&]() -> Result<void> {
    auto& q = statement(
        "INSERT INTO hospitals(number, name, address, municipality) VALUES(?,?,?,?) "
        "ON CONFLICT(number) DO UPDATE SET name=excluded.name, address=excluded.address");
    q.bind(1, h.number);
    q.bind(2, h.name);
    q.bind(3, h.address);
    q.bind(4, h.municipality);
    q.exec();
    return {};
  });
}

Result<std::optional<Hospital>> SqliteStore::get_hospital(const std::string& number) {
  return run([&]() -> Result<std::optional<Hospital>> {
    auto& q = statement(
        "SELECT number, name, address, COALESCE(admin_user, ''), municipality FROM hospitals "
        "WHERE number=?");
    q.bind(1, number);
    if (!q.executeStep()) return std::optional<Hospital>();
    return std::optional<Hospital>(Hospital{q.getColumn(0).getString(), q.getColumn(1).getString(),
                                            q.getColumn(2).getString(), q.getColumn(3).getString(),
                                            q.getColumn(4).getString()});
  });
}

Result<void> SqliteStore::set_hospital_admin(const std::string& number,
                                             const std::string& user_id) {
  return run([&]() -> Result<void> {
    auto& q = statement("UPDATE hospitals SET admin_user=NULLIF(?, '') WHERE number=?");
    q.bind(1, user_id);
    q.bind(2, number);
    q.exec();
    return {};
  });
}

Result<void> SqliteStore::insert_session(const SessionRow& s) {
  return run([&]() -> Result<void> {
    auto& q = statement(
        "INSERT INTO sessions(id_hash, csrf_hash, user_id, hospital, terminal, created_at, "
        "last_seen, cert_serial) VALUES(?,?,?,?,?,?,?,?)");
    q.bind(1, s.id_hash.data(), static_cast<int>(s.id_hash.size()));
    q.bind(2, s.csrf_hash.data(), static_cast<int>(s.csrf_hash.size()));
    q.bind(3, s.user_id);
    q.bind(4, s.hospital);
    q.bind(5, s.terminal);
    q.bind(6, s.created_at);
    q.bind(7, s.last_seen);
    q.bind(8, s.cert_serial);
    q.exec();
    return {};
  });
}

Result<std::optional<SessionRow>> SqliteStore::get_session(const std::string& id_hash) {
  return run([&]() -> Result<std::optional<SessionRow>> {
    auto& q = statement(
        "SELECT id_hash, csrf_hash, user_id, hospital, terminal, created_at, last_seen, "
        "cert_serial FROM sessions WHERE id_hash=?");
    q.bind(1, id_hash.data(), static_cast<int>(id_hash.size()));
    if (!q.executeStep()) return std::optional<SessionRow>();
    auto blob = [&](int i) {
      auto c = q.getColumn(i);
      return std::string(static_cast<const char*>(c.getBlob()),
                         static_cast<std::size_t>(c.getBytes()));
    };
    return std::optional<SessionRow>(
        SessionRow{blob(0), blob(1), q.getColumn(2).getString(), q.getColumn(3).getString(),
                   q.getColumn(4).getString(), q.getColumn(5).getString(),
                   q.getColumn(6).getString(), q.getColumn(7).getString()});
  });
}

Result<void> SqliteStore::touch_session(const std::string& id_hash, const std::string& last_seen) {
  return run([&]() -> Result<void> {
    auto& q = statement("UPDATE sessions SET last_seen=? WHERE id_hash=?");
    q.bind(1, last_seen);
    q.bind(2, id_hash.data(), static_cast<int>(id_hash.size()));
    q.exec();
    return {};
  });
}

Result<void> SqliteStore::delete_session(const std::string& id_hash) {
  return run([&]() -> Result<void> {
    auto& q = statement("DELETE FROM sessions WHERE id_hash=?");
    q.bind(1, id_hash.data(), static_cast<int>(id_hash.size()));
    q.exec();
    return {};
  });
}

Result<std::size_t> SqliteStore::delete_user_sessions(const std::string& user_id) {
  return run([&]() -> Result<std::size_t> {
    auto& q = statement("DELETE FROM sessions WHERE user_id=?");
    q.bind(1, user_id);
    return static_cast<std::size_t>(q.exec());
  });
}

Result<std::size_t> SqliteStore::delete_user_sessions_at(const std::string& user_id,
                                                         const std::string& hospital) {
  return run([&]() -> Result<std::size_t> {
    auto& q = statement("DELETE FROM sessions WHERE user_id=? AND hospital=?");
    q.bind(1, user_id);
    q.bind(2, hospital);
    return static_cast<std::size_t>(q.exec());
  });
}

Result<std::size_t> SqliteStore::delete_other_sessions(const std::string& user_id,
                                                       const std::string& keep_id_hash) {
  return run([&]() -> Result<std::size_t> {
    auto& q = statement("DELETE FROM sessions WHERE user_id=? AND id_hash<>?");
    q.bind(1, user_id);
    q.bind(2, keep_id_hash.data(), static_cast<int>(keep_id_hash.size()));
    return static_cast<std::size_t>(q.exec());
  });
}

}  // namespace detail

int sqlite_schema_version() {
  return detail::latest_schema_version();
}

namespace {

Result<std::unique_ptr<Store>> open_connection(const std::filesystem::path& path, bool migrate) {
  try {
    // The file holds wrapped keys and ciphertexts only, but still nobody else's business.
    const mode_t old_mask = ::umask(077);
    auto db = std::make_unique<SQLite::Database>(path.string(),
                                                 SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ::umask(old_mask);
    db->setBusyTimeout(5000);
    if (migrate) db->exec("PRAGMA journal_mode=WAL");  // persistent: set once per file
    db->exec("PRAGMA synchronous=FULL");  // an issued ID survives a power cut once shown
    db->exec("PRAGMA foreign_keys=ON");
    // 64 MiB of page cache (the default is 2 MiB): a bulk registration writes
    // 140,000 random keys into the 医籍登録番号 index, which a small cache rereads.
    // Pages are allocated as they are read, so idle connections stay small.
    db->exec("PRAGMA cache_size=-65536");
    if (migrate) NANBYO_TRY_VOID(detail::migrate(*db));
    return std::unique_ptr<Store>(std::make_unique<detail::SqliteStore>(std::move(db)));
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal,
                "cannot open the database " + path.string() + ": " + std::string(e.what()));
  }
}

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& path) {
  return open_connection(path, true);
}

Result<std::unique_ptr<Store>> open_sqlite_connection(const std::filesystem::path& path) {
  return open_connection(path, false);
}

}  // namespace nanbyo::appcore
