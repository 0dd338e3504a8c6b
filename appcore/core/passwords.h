// Password hashing and policy (docs/appcore-data.md "Passwords").
//  - Machine-issued initial passwords: 16 characters from a 57-symbol alphabet
//    without look-alikes (~93 bits), stored as "hmac-sha256$<hex>" under the
//    password key: fast enough to issue 147,000 in one import, and with 93 bits
//    of entropy an offline search is hopeless even without a slow hash.
//  - Chosen passwords: Argon2id (libsodium crypto_pwhash_str), cost from CoreConfig.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "appcore/core/key_hierarchy.h"
#include "pki/result.h"

namespace nanbyo::appcore {

inline constexpr std::size_t kInitialPasswordLength = 16;
inline constexpr std::size_t kMinPasswordLength = 12;
inline constexpr std::size_t kMaxPasswordLength = 128;

std::string generate_initial_password();
std::string hash_initial_password(const KeyHierarchy& keys, std::string_view user_id,
                                  std::string_view password);

// Argon2id; Internal error only when memory cannot be had.
Result<std::string> hash_chosen_password(std::string_view password, unsigned long long ops,
                                         std::size_t mem);

// Verifies either kind in constant time with respect to the password.
bool verify_password(const KeyHierarchy& keys, std::string_view user_id, std::string_view stored,
                     std::string_view password);
bool is_initial_hash(std::string_view stored);

// Policy for chosen passwords: 12-128 printable ASCII characters, at least three
// of lower case, upper case, digits and symbols, not containing the user id.
Result<void> check_password_policy(std::string_view user_id, std::string_view password);

}  // namespace nanbyo::appcore
