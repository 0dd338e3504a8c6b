#include "pki/aead.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

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

}  // namespace

std::string seal(std::string_view key, std::string_view aad, std::string_view plaintext) {
  if (key.size() != kKeySize) throw std::invalid_argument("AES-256-GCM needs a 32-byte key");
  std::string out = random_bytes(kNonceSize);
  out.resize(kNonceSize + plaintext.size() + kTagSize);
  ossl::EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok = EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), bytes(key), bytes(out), nullptr) &&
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
  bool ok = EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), bytes(key), bytes(sealed), nullptr) &&
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
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(), bytes(data),
                 data.size(), bytes(out), out.size(), &len)) {
    throw std::runtime_error("HMAC-SHA256 failed");  // impossible
  }
  return out;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace nanbyo::aead
