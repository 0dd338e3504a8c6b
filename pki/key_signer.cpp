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

// Reads the private key only when something is signed: listing, bundling
// and parsing a CSR happen before the key is in memory.
class FileSigner final : public KeySigner {
 public:
  FileSigner(ossl::X509Ptr cert, std::filesystem::path key_path,
             std::shared_ptr<const Secret> passphrase)
      : cert_(std::move(cert)),
        key_path_(std::move(key_path)),
        passphrase_(std::move(passphrase)) {}

  X509* certificate() const override { return cert_.get(); }
  Result<void> sign(X509* cert) override {
    NANBYO_TRY_VOID(load());
    return signer_->sign(cert);
  }
  Result<void> sign(X509_CRL* crl) override {
    NANBYO_TRY_VOID(load());
    return signer_->sign(crl);
  }

 private:
  Result<void> load() {
    if (signer_) return {};
    std::error_code ec;
    if (!std::filesystem::exists(key_path_, ec)) {
      return fail("CA private key missing: " + key_path_.string() +
                  " (a key kept offline must be put back for this command; docs/pki.md)");
    }
    NANBYO_TRY(key_file, read_file(key_path_));
    const Secret key_text(std::move(key_file));  // unencrypted PEM is the key itself
    NANBYO_TRY(key,
               pem::decode_private_key(key_text.view(), key_path_.string(), passphrase_.get()));
    if (X509_check_private_key(cert_.get(), key.get()) != 1) {
      ossl::last_error();
      return fail(key_path_.string() + " does not belong to its CA certificate");
    }
    X509_up_ref(cert_.get());
    signer_ = make_in_memory_signer(ossl::X509Ptr(cert_.get()), std::move(key));
    return {};
  }

  ossl::X509Ptr cert_;
  std::filesystem::path key_path_;
  std::shared_ptr<const Secret> passphrase_;
  std::unique_ptr<KeySigner> signer_;
};

}  // namespace

std::unique_ptr<KeySigner> make_in_memory_signer(ossl::X509Ptr cert, ossl::EvpPkeyPtr key) {
  return std::make_unique<InMemorySigner>(std::move(cert), std::move(key));
}

Result<std::unique_ptr<KeySigner>> load_file_signer(const std::filesystem::path& cert_pem,
                                                    const std::filesystem::path& key_pem,
                                                    std::shared_ptr<const Secret> passphrase) {
  NANBYO_TRY(cert_text, read_file(cert_pem));
  NANBYO_TRY(cert, pem::decode_certificate(cert_text, cert_pem.string()));
  return std::unique_ptr<KeySigner>(
      std::make_unique<FileSigner>(std::move(cert), key_pem, std::move(passphrase)));
}

}  // namespace nanbyo::pki
