#include "pki/pem.h"

#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include <cstring>
#include <memory>

#include "pki/ossl_error.h"

namespace nanbyo::pem {
namespace {

ossl::BioPtr memory_bio(std::string_view data) {
  return ossl::BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string drain(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

template <typename Write>
std::string write_pem(Write write) {
  ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  write(bio.get());
  return drain(bio.get());
}

Error malformed(std::string_view what, std::string_view kind) {
  std::string reason = ossl::last_error();
  return fail(std::string(what) + " is not a valid PEM " + std::string(kind) +
              (reason.empty() ? "" : " (" + reason + ")"));
}

// OpenSSL's passphrase callback, fed from a Secret; never the terminal prompt.
int passphrase_from(char* buffer, int size, int /*writing*/, void* user) {
  const auto* passphrase = static_cast<const Secret*>(user);
  if (passphrase == nullptr || passphrase->size() > static_cast<std::size_t>(size)) return -1;
  std::memcpy(buffer, passphrase->data(), passphrase->size());
  return static_cast<int>(passphrase->size());
}

}  // namespace

std::string encode(X509* cert) {
  return write_pem([&](BIO* b) { PEM_write_bio_X509(b, cert); });
}

std::string encode(X509_CRL* crl) {
  return write_pem([&](BIO* b) { PEM_write_bio_X509_CRL(b, crl); });
}

std::string encode_private_key(EVP_PKEY* key) {
  return write_pem(
      [&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
}

Result<ossl::X509Ptr> decode_certificate(std::string_view pem, std::string_view what) {
  auto bio = memory_bio(pem);
  ossl::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return malformed(what, "certificate");
  return cert;
}

Result<std::vector<ossl::X509Ptr>> decode_certificates(std::string_view pem,
                                                       std::string_view what) {
  auto bio = memory_bio(pem);
  std::vector<ossl::X509Ptr> out;
  while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(c);
  ossl::last_error();  // the loop ends on an expected "no start line"
  if (out.empty()) return malformed(what, "certificate");
  return out;
}

Result<std::vector<ossl::X509CrlPtr>> decode_crls(std::string_view pem, std::string_view what) {
  auto bio = memory_bio(pem);
  std::vector<ossl::X509CrlPtr> out;
  while (X509_CRL* c = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr))
    out.emplace_back(c);
  ossl::last_error();  // the loop ends on an expected "no start line"
  if (out.empty()) return malformed(what, "CRL");
  return out;
}

Result<std::string> encode_encrypted_private_key(EVP_PKEY* key, const Secret& passphrase) {
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, decltype(&PKCS8_PRIV_KEY_INFO_free)> plain(
      EVP_PKEY2PKCS8(key), &PKCS8_PRIV_KEY_INFO_free);
  if (!plain) return fail("cannot encode the private key: " + ossl::last_error());
  // pbe_nid -1: PBES2 with the cipher given; OpenSSL 3 picks hmacWithSHA256 as PRF.
  std::unique_ptr<X509_SIG, decltype(&X509_SIG_free)> sealed(
      PKCS8_encrypt_ex(-1, EVP_aes_256_cbc(), passphrase.data(),
                       static_cast<int>(passphrase.size()), nullptr, 0, kKeyPbkdf2Iterations,
                       plain.get(), nullptr, nullptr),
      &X509_SIG_free);
  if (!sealed) return fail("cannot encrypt the private key: " + ossl::last_error());
  return write_pem([&](BIO* b) { PEM_write_bio_PKCS8(b, sealed.get()); });
}

bool is_encrypted_private_key(std::string_view pem) {
  return pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string_view::npos;
}

Result<ossl::EvpPkeyPtr> decode_private_key(std::string_view pem, std::string_view what,
                                            const Secret* passphrase) {
  if (is_encrypted_private_key(pem) && passphrase == nullptr) {
    return fail(std::string(what) +
                " is encrypted: give its passphrase with --passphrase-file, "
                "NANBYO_PKI_PASSPHRASE_FILE or the credential nanbyo-pki-passphrase");
  }
  auto bio = memory_bio(pem);
  ossl::EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &passphrase_from,
                                               const_cast<Secret*>(passphrase)));
  if (!key && is_encrypted_private_key(pem)) {
    ossl::last_error();
    return fail(std::string(what) + " cannot be decrypted: wrong passphrase?");
  }
  if (!key) return malformed(what, "private key");
  return key;
}

Result<ossl::X509ReqPtr> decode_request(std::string_view pem, std::string_view what) {
  auto bio = memory_bio(pem);
  ossl::X509ReqPtr req(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  if (!req) return malformed(what, "certificate signing request");
  return req;
}

Result<ossl::X509CrlPtr> decode_crl(std::string_view pem, std::string_view what) {
  auto bio = memory_bio(pem);
  ossl::X509CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  if (!crl) return malformed(what, "CRL");
  return crl;
}

}  // namespace nanbyo::pem
