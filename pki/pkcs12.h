// PKCS#12 bundles for hospital PCs: AES-256-CBC with PBKDF2-SHA256 for both the
// key and the certificates, HMAC-SHA256 integrity (no legacy RC2/3DES).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pki/ossl_handles.h"
#include "pki/result.h"

namespace nanbyo::pki {

Result<std::string> make_pkcs12(std::string_view friendly_name, EVP_PKEY* key, X509* cert,
                                const std::vector<X509*>& chain, const std::string& password);

struct OpenedPkcs12 {
  ossl::EvpPkeyPtr key;
  ossl::X509Ptr cert;
  std::vector<ossl::X509Ptr> chain;
};

// Fails with one message for a wrong password and another for a corrupt file.
Result<OpenedPkcs12> open_pkcs12(std::string_view der, const std::string& password,
                                 std::string_view what);

}  // namespace nanbyo::pki
