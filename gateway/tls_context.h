// Server TLS contexts per listener: TLS 1.3 (or 1.2 with ECDHE + AEAD only),
// the system CA as the only trust anchor for client certificates, and the
// current CRL (S-1, S-4).
#pragma once

#include <filesystem>
#include <memory>

#include "gateway/asio.h"
#include "pki/ossl_handles.h"
#include "pki/result.h"
#include "policy/policy.h"

namespace nanbyo::gw {

using ClientCertMode = policy::ClientCertificateMode;

struct TlsSettings {
  std::filesystem::path certificate;  // leaf + chain, PEM
  std::filesystem::path private_key;
  std::filesystem::path client_ca;  // trust anchors for client certificates
  std::filesystem::path crl;        // PEM file with one or more CRLs; may be empty
  bool allow_tls12 = false;
  ClientCertMode client_cert = ClientCertMode::Required;
};

// Builds a context. The chain and the CRL are verified during the handshake
// (an untrusted, expired or revoked certificate fails it, recorded by the
// verify callback for a precise audit record); policy checks that need the
// identity come after the handshake (client_cert_check.h).
Result<std::shared_ptr<ssl::context>> make_server_context(const TlsSettings& settings);

// A fresh X509_STORE with the CA certificates; with a CRL file, every CRL in it checks
// the chain (crl_check.h).
Result<ossl::X509StorePtr> make_trust_store(const std::filesystem::path& ca_file,
                                            const std::filesystem::path& crl_file);

}  // namespace nanbyo::gw
