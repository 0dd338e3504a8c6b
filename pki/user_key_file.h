// Per-user encryption key files (ID-4, S-9). The holder encrypts files for the
// system with AES-256-GCM; the format is text so hospital-system vendors can
// read it (docs/user-key-files.md):
//
//   -----BEGIN NANBYO USER KEY-----
//   Version: 1
//   Key-Id: <32 hex>
//   User-Id: <login id>
//   Not-Before: <ISO 8601 UTC>
//   Not-After: <ISO 8601 UTC>
//   Algorithm: AES-256-GCM
//   Key: <base64 of 32 bytes>
//   Check: <hex of the first 16 bytes of HMAC-SHA256(key, the lines from Version to Key)>
//   -----END NANBYO USER KEY-----
#pragma once

#include <string>
#include <string_view>

#include "pki/clock.h"
#include "pki/result.h"

namespace nanbyo::pki {

struct UserKey {
  std::string key_id;  // 32 lower-case hex digits
  std::string user_id;
  TimePoint not_before;
  TimePoint not_after;
  std::string secret;  // 32 bytes
};

UserKey generate_user_key(const std::string& user_id, TimePoint not_before, TimePoint not_after);
std::string encode_key_file(const UserKey& key);
// Refuses any file whose Check does not match (a flipped byte anywhere).
Result<UserKey> parse_key_file(std::string_view text);
// Refuses a key outside its validity.
Result<void> check_key_validity(const UserKey& key, TimePoint now);

// Sealed payload: "NBSEAL01" || key id (16 bytes) || nonce || ciphertext || tag,
// with the first 24 bytes as associated data.
Result<std::string> seal_with_key(const UserKey& key, std::string_view plaintext, TimePoint now);
Result<std::string> open_with_key(const UserKey& key, std::string_view sealed, TimePoint now);
// The key id a sealed payload names, so the system can find the key.
Result<std::string> sealed_key_id(std::string_view sealed);

}  // namespace nanbyo::pki
