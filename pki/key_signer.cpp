#include "pki/key_signer.h"

#include "pki/atomic_file.h"
#include "pki/ossl_error.h"
#include "pki/pem.h"

namespace nanbyo::pki {
namespace {

class InMemorySigner final : public KeySigner {
 public:
  InMemorySigner(ossl::X509Ptr cert, ossl::EvpPkeyPtr key)
      : cert_(std::move(cert)), key_(std::move(key)) {}

  X509* certificate() const override { return cert_.get(); }

  Result<void> sign(X509* cert) override {
    if (X509_sign(cert, key_.get(), EVP_sha256()) <= 0) {
      return fail("signing the certificate failed: " + ossl::last_error());
    }
    return {};
  }

  Result<void> sign(X509_CRL* crl) override {
    if (X509_CRL_sign(crl, key_.get(), EVP_sha256()) <= 0) {
      return fail("signing the CRL failed: " + ossl::last_error());
    }
    return {};
  }

 private:
  ossl::X509Ptr cert_;
  ossl::EvpPkeyPtr key_;
};

}  // namespace

std::unique_ptr<KeySigner> make_in_memory_signer(ossl::X509Ptr cert, ossl::EvpPkeyPtr key) {
  return std::make_unique<InMemorySigner>(std::move(cert), std::move(key));
}

Result<std::unique_ptr<KeySigner>> load_file_signer(const std::filesystem::path& cert_pem,
                                                    const std::filesystem::path& key_pem) {
  NANBYO_TRY(cert_text, read_file(cert_pem));
  NANBYO_TRY(key_text, read_file(key_pem));
  NANBYO_TRY(cert, pem::decode_certificate(cert_text, cert_pem.string()));
  NANBYO_TRY(key, pem::decode_private_key(key_text, key_pem.string()));
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ossl::last_error();
    return fail(key_pem.string() + " does not belong to " + cert_pem.string());
  }
  return make_in_memory_signer(std::move(cert), std::move(key));
}

}  // namespace nanbyo::pki
