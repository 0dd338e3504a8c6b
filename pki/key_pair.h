// Key generation: ECDSA P-256 by default, RSA 3072 for older Windows clients.
#pragma once

#include <string_view>

#include "pki/ossl_handles.h"
#include "pki/result.h"

namespace nanbyo::pki {

enum class KeyAlgorithm { EcdsaP256, Rsa3072 };

Result<KeyAlgorithm> parse_key_algorithm(std::string_view text);  // "ecdsa-p256" | "rsa-3072"
std::string_view to_string(KeyAlgorithm algorithm);
// The algorithm of an existing key, when it is one the project issues.
Result<KeyAlgorithm> algorithm_of(EVP_PKEY* key);

Result<ossl::EvpPkeyPtr> generate_key(KeyAlgorithm algorithm);

}  // namespace nanbyo::pki
