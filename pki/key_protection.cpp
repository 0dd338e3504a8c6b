#include "pki/key_protection.h"

#include "pki/atomic_file.h"
#include "pki/ossl_error.h"
#include "pki/pem.h"

namespace nanbyo::pki {
namespace fs = std::filesystem;

namespace {

// "encrypted", "already encrypted", "not here", or why the key cannot be protected.
Result<std::string> protect_one(const fs::path& cert_path, const fs::path& key_path,
                                const Secret& passphrase) {
  std::error_code ec;
  if (!fs::exists(key_path, ec)) return std::string("not here");
  NANBYO_TRY(file, read_file(key_path));
  const Secret text(std::move(file));
  if (pem::is_encrypted_private_key(text.view())) return std::string("already encrypted");
  NANBYO_TRY(key, pem::decode_private_key(text.view(), key_path.string()));
  NANBYO_TRY(cert_text, read_file(cert_path));
  NANBYO_TRY(cert, pem::decode_certificate(cert_text, cert_path.string()));
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ossl::last_error();
    return fail(key_path.string() + " does not belong to its CA certificate");
  }
  NANBYO_TRY(sealed, pem::encode_encrypted_private_key(key.get(), passphrase));
  NANBYO_TRY_VOID(write_file_atomic(key_path, sealed, fs::perms(0600)));
  return std::string("encrypted");
}

}  // namespace

Result<ProtectedKeys> protect_ca_keys(const CaPaths& paths, const Secret& passphrase) {
  ProtectedKeys out;
  const std::pair<fs::path, fs::path> keys[] = {{paths.root_cert(), paths.root_key()},
                                                {paths.issuing_cert(), paths.issuing_key()}};
  for (const auto& [cert, key] : keys) {
    NANBYO_TRY(done, protect_one(cert, key, passphrase));
    (done == "encrypted" ? out.encrypted : out.unchanged)
        .push_back(done == "encrypted" ? key.string() : key.string() + ": " + done);
  }
  return out;
}

}  // namespace nanbyo::pki
