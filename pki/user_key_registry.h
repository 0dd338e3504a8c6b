// The system's record of every user key (ID-4, ID-5, ID-6): which keys exist,
// for whom, until when, and which are revoked. It keeps the key material
// wrapped (AES-256-GCM under a wrap key) so it can open what users send, and
// refuses anything sealed with a revoked, expired or unknown key.
#pragma once

#include <SQLiteCpp/Database.h>

#include <functional>
#include <string>
#include <vector>

#include "pki/clock.h"
#include "pki/result.h"
#include "pki/user_key_file.h"

namespace nanbyo::pki {

struct UserKeyInfo {
  std::string key_id;
  std::string user_id;
  std::string not_before, not_after, created_at;
  std::string status;  // valid | revoked
  std::string revoked_at;
  std::string reason;
};

class UserKeyRegistry {
 public:
  // Creates the user_keys table in `db` when missing. `wrap_key` is 32 bytes.
  static Result<UserKeyRegistry> open(SQLite::Database& db, std::string wrap_key,
                                      const Clock& clock);

  // A user holds one valid key: issuing revokes the previous ones ("superseded").
  // `stage` runs inside the transaction (e.g. writes the key file to a
  // temporary name); if it fails nothing is recorded and the old key stays.
  Result<UserKey> issue(const std::string& user_id, int days,
                        const std::function<Result<void>(const UserKey&)>& stage = {});
  Result<UserKeyInfo> revoke(const std::string& key_id, const std::string& reason);
  // Revokes every valid key of the user (validity extension, transfer out).
  Result<std::vector<std::string>> revoke_user(const std::string& user_id,
                                               const std::string& reason);
  Result<UserKeyInfo> find(const std::string& key_id);
  Result<std::vector<UserKeyInfo>> list(const std::string& user_id = "");
  // Decrypts a payload sealed by a key holder; refuses revoked/expired/unknown keys.
  Result<std::string> open_sealed(std::string_view sealed);

 private:
  UserKeyRegistry(SQLite::Database& db, std::string wrap_key, const Clock& clock)
      : db_(&db), wrap_key_(std::move(wrap_key)), clock_(&clock) {}

  SQLite::Database* db_;
  std::string wrap_key_;
  const Clock* clock_;
};

// Reads a wrap key file (64 hex digits), as written by `nanbyo-pki init`.
Result<std::string> load_wrap_key(const std::filesystem::path& path);

}  // namespace nanbyo::pki
