#include "pki/key_pair.h"

#include <openssl/ec.h>

#include "pki/ossl_error.h"

namespace nanbyo::pki {

Result<KeyAlgorithm> parse_key_algorithm(std::string_view text) {
  if (text == "ecdsa-p256") return KeyAlgorithm::EcdsaP256;
  if (text == "rsa-3072") return KeyAlgorithm::Rsa3072;
  return fail("unknown key algorithm '" + std::string(text) + "' (use ecdsa-p256 or rsa-3072)");
}

std::string_view to_string(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::EcdsaP256 ? "ecdsa-p256" : "rsa-3072";
}

Result<KeyAlgorithm> algorithm_of(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len) == 1 &&
        std::string_view(group) == "prime256v1") {
      return KeyAlgorithm::EcdsaP256;
    }
    return fail("EC keys must use the P-256 curve");
  }
  if (EVP_PKEY_is_a(key, "RSA")) {
    if (EVP_PKEY_get_bits(key) >= 3072) return KeyAlgorithm::Rsa3072;
    return fail("RSA keys must have at least 3072 bits");
  }
  return fail("only ECDSA P-256 and RSA 3072 keys are accepted");
}

Result<ossl::EvpPkeyPtr> generate_key(KeyAlgorithm algorithm) {
  EVP_PKEY* key = algorithm == KeyAlgorithm::EcdsaP256
                      ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{3072});
  if (!key) return fail("key generation failed: " + ossl::last_error());
  return ossl::EvpPkeyPtr(key);
}

}  // namespace nanbyo::pki
