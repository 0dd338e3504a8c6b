// Keys of the application core (S-5), see docs/appcore-data.md:
//   master key (file, 32 bytes, 0600)
//     └ wraps the data key (random 32 bytes, stored in keyring "data-key-v1")
//         ├ field key     HMAC(data key, "appcore field encryption v1")  AES-256-GCM of personal
//         fields ├ index key     HMAC(data key, "appcore blind index v1")       deterministic
//         lookups ├ password key  HMAC(data key, "appcore initial password v1")  initial-password
//         hashes └ user-key wrap HMAC(data key, "appcore user key wrap v1")     pki UserKeyRegistry
// Rotating the master key re-wraps one 32-byte value; the data never moves.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "appcore/core/store.h"
#include "pki/result.h"

namespace nanbyo::appcore {

// Reads the master key: exactly 32 bytes, a regular file not readable by group
// or others. With `create`, writes a new random one (0600) when missing.
Result<std::string> load_master_key(const std::filesystem::path& path, bool create);

class KeyHierarchy {
 public:
  // Unwraps the data key from `store`, creating and wrapping one on first use.
  static Result<KeyHierarchy> open(Store& store, const std::string& master_key);
  KeyHierarchy(KeyHierarchy&&) = default;
  ~KeyHierarchy();

  // AES-256-GCM bound to (table, column, row): a ciphertext moved to another row
  // or column fails to open. "" stays "" (an unset field).
  std::string seal(std::string_view table, std::string_view column, std::string_view row,
                   std::string_view plaintext) const;
  Result<std::string> open(std::string_view table, std::string_view column, std::string_view row,
                           std::string_view sealed) const;
  // Deterministic keyed index of a normalised value, per purpose.
  std::string blind_index(std::string_view purpose, std::string_view value) const;
  // Keyed hash of a machine-issued password, bound to the user id.
  std::string initial_password_mac(std::string_view user_id, std::string_view password) const;
  const std::string& user_key_wrap_key() const { return user_key_wrap_; }

 private:
  KeyHierarchy() = default;
  std::string field_, index_, password_, user_key_wrap_;
};

}  // namespace nanbyo::appcore
