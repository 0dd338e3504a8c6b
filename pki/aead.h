// AES-256-GCM with a random 96-bit nonce: nonce || ciphertext || tag.
// One implementation for key files, wrapped keys and (later) database fields.
#pragma once

#include <string>
#include <string_view>

#include "pki/result.h"

namespace nanbyo::aead {

inline constexpr std::size_t kKeySize = 32;
inline constexpr std::size_t kNonceSize = 12;
inline constexpr std::size_t kTagSize = 16;

// `key` must be kKeySize bytes.
std::string seal(std::string_view key, std::string_view aad, std::string_view plaintext);
// Fails when the data was altered, the AAD differs or the key is wrong.
Result<std::string> open(std::string_view key, std::string_view aad, std::string_view sealed);

std::string sha256(std::string_view data);

// HMAC-SHA256 and a constant-time comparison for secrets.
std::string hmac_sha256(std::string_view key, std::string_view data);
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace nanbyo::aead
