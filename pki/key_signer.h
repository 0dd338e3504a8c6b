// KeySigner: the seam between code that decides what to sign and the holder of
// a CA private key (CONVENTIONS.md rule 8). Today the key is loaded from a 0600
// file inside the operator's nanbyo-pki process, encrypted under a passphrase
// when the CA was made with one (issue 13); a separate signing process can
// implement the same interface later without touching callers.
#pragma once

#include <filesystem>
#include <memory>

#include "pki/ossl_handles.h"
#include "pki/result.h"
#include "pki/secret.h"

namespace nanbyo::pki {

class KeySigner {
 public:
  virtual ~KeySigner() = default;
  virtual X509* certificate() const = 0;  // the signer's own certificate
  virtual Result<void> sign(X509* cert) = 0;
  virtual Result<void> sign(X509_CRL* crl) = 0;
};

// Signs with a key held in memory (loaded from a PEM file or freshly generated).
std::unique_ptr<KeySigner> make_in_memory_signer(ossl::X509Ptr cert, ossl::EvpPkeyPtr key);
// The key file is read at the first signature, not before: a CA whose root key is kept offline
// opens and issues with the issuing key alone, and only a root signature asks for the root key
// ("CA private key missing: ..."). `passphrase` decrypts an encrypted key file.
Result<std::unique_ptr<KeySigner>> load_file_signer(
    const std::filesystem::path& cert_pem, const std::filesystem::path& key_pem,
    std::shared_ptr<const Secret> passphrase = nullptr);

}  // namespace nanbyo::pki
