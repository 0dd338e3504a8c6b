#include "pki/user_key_registry.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <openssl/crypto.h>
#include "pki/aead.h"
#include "pki/atomic_file.h"
#include "pki/secret.h"

#include <algorithm>
#include <cctype>

#include "pki/encoding.h"

namespace nanbyo::pki {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS user_keys(
  key_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'valid' CHECK(status IN ('valid','revoked')),
  revoked_at TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  wrapped_secret BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS user_keys_by_user ON user_keys(user_id);
)sql";

constexpr const char* kColumns =
    "key_id, user_id, not_before, not_after, created_at, status, revoked_at, reason";

UserKeyInfo read_info(SQLite::Statement& q) {
  return UserKeyInfo{q.getColumn(0).getString(), q.getColumn(1).getString(),
                     q.getColumn(2).getString(), q.getColumn(3).getString(),
                     q.getColumn(4).getString(), q.getColumn(5).getString(),
                     q.getColumn(6).getString(), q.getColumn(7).getString()};
}

template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception& e) {
    return fail(std::string("user key registry: ") + e.what());
  }
}

Result<void> validate_reason(const std::string& reason) {
  if (reason.empty() || reason.size() > 64)
    return fail("a revocation reason of 1-64 characters is required");
  return {};
}

}  // namespace

Result<std::string> load_wrap_key(const std::filesystem::path& path) {
  NANBYO_TRY(file, read_file(path, 1024));
  const Secret text(std::move(file));  // the hex text is the key too (issue 13: wiped)
  std::string_view hex = text.view();
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.remove_suffix(1);
  std::string key;
  if (!from_hex(hex, key) || key.size() != aead::kKeySize) {
    wipe(key);
    return fail(path.string() + " is not a wrap key (64 hex digits expected)");
  }
  return key;
}

Result<UserKeyRegistry> UserKeyRegistry::open(SQLite::Database& db, std::string wrap_key,
                                              const Clock& clock) {
  if (wrap_key.size() != aead::kKeySize) return fail("the wrap key must be 32 bytes");
  return guarded([&]() -> Result<UserKeyRegistry> {
    db.exec(kSchema);
    return UserKeyRegistry(db, std::move(wrap_key), clock);
  });
}

Result<UserKey> UserKeyRegistry::issue(const std::string& user_id, int days,
                                       const std::function<Result<void>(const UserKey&)>& stage) {
  bool plain = std::all_of(user_id.begin(), user_id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == '@';
  });
  if (user_id.empty() || user_id.size() > 64 || !plain) {
    return fail("a user id must be 1-64 characters of A-Z a-z 0-9 - _ . @, got '" + user_id + "'");
  }
  if (days < 1 || days > 3650) return fail("key validity must be 1-3650 days");
  const TimePoint now = clock_->now();
  UserKey key = generate_user_key(user_id, now, now + std::chrono::days(days));
  return guarded([&]() -> Result<UserKey> {
    SQLite::Transaction tx(*db_);
    SQLite::Statement old(
        *db_,
        "UPDATE user_keys SET status='revoked', revoked_at=?, reason='superseded' "
        "WHERE user_id=? AND status='valid'");
    old.bind(1, format_utc(now));
    old.bind(2, user_id);
    old.exec();
    SQLite::Statement q(*db_,
                        "INSERT INTO user_keys(key_id, user_id, not_before, not_after, "
                        "created_at, wrapped_secret) VALUES(?,?,?,?,?,?)");
    std::string wrapped = aead::seal(wrap_key_, key.key_id, key.secret);
    q.bind(1, key.key_id);
    q.bind(2, user_id);
    q.bind(3, format_utc(key.not_before));
    q.bind(4, format_utc(key.not_after));
    q.bind(5, format_utc(now));
    q.bind(6, wrapped.data(), static_cast<int>(wrapped.size()));
    q.exec();
    if (stage) NANBYO_TRY_VOID(stage(key));
    tx.commit();
    return key;
  });
}

Result<UserKeyInfo> UserKeyRegistry::find(const std::string& key_id) {
  return guarded([&]() -> Result<UserKeyInfo> {
    SQLite::Statement q(*db_, std::string("SELECT ") + kColumns + " FROM user_keys WHERE key_id=?");
    q.bind(1, key_id);
    if (!q.executeStep()) return fail("unknown user key " + key_id);
    return read_info(q);
  });
}

Result<std::vector<UserKeyInfo>> UserKeyRegistry::list(const std::string& user_id) {
  return guarded([&]() -> Result<std::vector<UserKeyInfo>> {
    SQLite::Statement q(*db_, std::string("SELECT ") + kColumns +
                                  " FROM user_keys WHERE ?1='' OR user_id=?1 ORDER BY created_at");
    q.bind(1, user_id);
    std::vector<UserKeyInfo> out;
    while (q.executeStep()) out.push_back(read_info(q));
    return out;
  });
}

Result<UserKeyInfo> UserKeyRegistry::revoke(const std::string& key_id, const std::string& reason) {
  NANBYO_TRY_VOID(validate_reason(reason));
  NANBYO_TRY(info, find(key_id));
  if (info.status == "revoked") {
    return fail("user key " + key_id + " is already revoked (since " + info.revoked_at + ")");
  }
  return guarded([&]() -> Result<UserKeyInfo> {
    SQLite::Statement q(*db_,
                        "UPDATE user_keys SET status='revoked', revoked_at=?, reason=? "
                        "WHERE key_id=? AND status='valid'");
    info.status = "revoked";
    info.revoked_at = format_utc(clock_->now());
    info.reason = reason;
    q.bind(1, info.revoked_at);
    q.bind(2, reason);
    q.bind(3, key_id);
    q.exec();
    return info;
  });
}

Result<std::vector<std::string>> UserKeyRegistry::revoke_user(const std::string& user_id,
                                                              const std::string& reason) {
  NANBYO_TRY_VOID(validate_reason(reason));
  return guarded([&]() -> Result<std::vector<std::string>> {
    SQLite::Transaction tx(*db_);
    std::vector<std::string> ids;
    SQLite::Statement q(*db_, "SELECT key_id FROM user_keys WHERE user_id=? AND status='valid'");
    q.bind(1, user_id);
    while (q.executeStep()) ids.push_back(q.getColumn(0).getString());
    SQLite::Statement up(*db_,
                         "UPDATE user_keys SET status='revoked', revoked_at=?, reason=? "
                         "WHERE user_id=? AND status='valid'");
    up.bind(1, format_utc(clock_->now()));
    up.bind(2, reason);
    up.bind(3, user_id);
    up.exec();
    tx.commit();
    return ids;
  });
}

Result<std::string> UserKeyRegistry::open_sealed(std::string_view sealed) {
  NANBYO_TRY(key_id, sealed_key_id(sealed));
  NANBYO_TRY(info, find(key_id));
  if (info.status == "revoked") {
    return fail("user key " + key_id + " was revoked at " + info.revoked_at +
                "; the file is refused (obtain a new key file)");
  }
  NANBYO_TRY(secret, guarded([&]() -> Result<std::string> {
               SQLite::Statement q(*db_, "SELECT wrapped_secret FROM user_keys WHERE key_id=?");
               q.bind(1, key_id);
               q.executeStep();
               auto column = q.getColumn(0);
               std::string wrapped(static_cast<const char*>(column.getBlob()),
                                   static_cast<std::size_t>(column.getBytes()));
               return aead::open(wrap_key_, key_id, wrapped);
             }));
  UserKey key{key_id, info.user_id, {}, {}, std::move(secret)};
  parse_utc(info.not_before, key.not_before);
  parse_utc(info.not_after, key.not_after);
  auto opened = open_with_key(key, sealed, clock_->now());
  OPENSSL_cleanse(key.secret.data(), key.secret.size());
  return opened;
}

}  // namespace nanbyo::pki
