#include "pki/aead.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <stdexcept>

#include "pki/ossl_handles.h"
#include "pki/random.h"

namespace nanbyo::aead {
namespace {

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

// Fetched once: EVP_aes_256_gcm() and EVP_Q_mac() look the algorithm up in the
// provider store on every call, which was most of the cost of one seal or one
// HMAC (a bulk import makes several per row). Fetched objects are immutable
// and reference-counted, so threads may share them.
EVP_CIPHER* aes_256_gcm() {
  static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  if (!cipher) throw std::runtime_error("AES-256-GCM is not available");
  return cipher;
}

// One HMAC-SHA256 context per thread, its digest set once; each call only
// re-keys it.
EVP_MAC_CTX* hmac_sha256_context() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (!mac) throw std::runtime_error("HMAC is not available");
  thread_local ossl::EvpMacCtxPtr ctx = [] {
    ossl::EvpMacCtxPtr c(EVP_MAC_CTX_new(mac));
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (!c || !EVP_MAC_CTX_set_params(c.get(), params))
      throw std::runtime_error("HMAC-SHA256 is not available");
    return c;
  }();
  return ctx.get();
}

}  // namespace

std::string seal(std::string_view key, std::string_view aad, std::string_view plaintext) {
  if (key.size() != kKeySize) throw std::invalid_argument("AES-256-GCM needs a 32-byte key");
  std::string out = random_bytes(kNonceSize);
  out.resize(kNonceSize + plaintext.size() + kTagSize);
  ossl::EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok = EVP_EncryptInit_ex2(ctx.get(), aes_256_gcm(), bytes(key), bytes(out), nullptr) &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) &&
            EVP_EncryptUpdate(ctx.get(), bytes(out) + kNonceSize, &len, bytes(plaintext),
                              static_cast<int>(plaintext.size())) &&
            EVP_EncryptFinal_ex(ctx.get(), bytes(out) + kNonceSize + len, &len) &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                                bytes(out) + kNonceSize + plaintext.size());
  if (!ok) throw std::runtime_error("AES-256-GCM encryption failed");  // impossible
  return out;
}

Result<std::string> open(std::string_view key, std::string_view aad, std::string_view sealed) {
  if (key.size() != kKeySize) return fail("AES-256-GCM needs a 32-byte key");
  if (sealed.size() < kNonceSize + kTagSize) return fail("encrypted data is truncated");
  const std::size_t text_size = sealed.size() - kNonceSize - kTagSize;
  std::string tag(sealed.substr(kNonceSize + text_size));
  std::string out(text_size, '\0');
  ossl::EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok = EVP_DecryptInit_ex2(ctx.get(), aes_256_gcm(), bytes(key), bytes(sealed), nullptr) &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) &&
            EVP_DecryptUpdate(ctx.get(), bytes(out), &len, bytes(sealed) + kNonceSize,
                              static_cast<int>(text_size)) &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, bytes(tag)) &&
            EVP_DecryptFinal_ex(ctx.get(), bytes(out) + len, &len) == 1;
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    return fail("encrypted data failed authentication (altered, or another key)");
  }
  return out;
}

std::string sha256(std::string_view data) {
  std::string out(32, '\0');
  EVP_Digest(data.data(), data.size(), bytes(out), nullptr, EVP_sha256(), nullptr);
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::string out(32, '\0');
  size_t len = 0;
  EVP_MAC_CTX* ctx = hmac_sha256_context();
  if (!EVP_MAC_init(ctx, bytes(key), key.size(), nullptr) ||
      !EVP_MAC_update(ctx, bytes(data), data.size()) ||
      !EVP_MAC_final(ctx, bytes(out), &len, out.size())) {
    throw std::runtime_error("HMAC-SHA256 failed");  // impossible
  }
  return out;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace nanbyo::aead
