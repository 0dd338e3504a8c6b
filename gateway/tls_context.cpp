#include "gateway/tls_context.h"

#include "gateway/client_cert_check.h"
#include "gateway/crl_check.h"

#include <openssl/pem.h>

#include "pki/atomic_file.h"
#include "pki/ossl_error.h"
#include "pki/pem.h"
#include "service/credentials.h"

namespace nanbyo::gw {
namespace {

// TLS 1.2 only with forward secrecy and AEAD (medical information security
// guideline); TLS 1.3 suites are all AEAD.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr unsigned char kSessionContext[] = "nanbyo-gateway";

Error tls_error(const std::string& what) {
  std::string reason = ossl::last_error();
  return fail(what + (reason.empty() ? "" : ": " + reason));
}

}  // namespace

Result<ossl::X509StorePtr> make_trust_store(const std::filesystem::path& ca_file,
                                            const std::filesystem::path& crl_file) {
  ossl::X509StorePtr store(X509_STORE_new());
  NANBYO_TRY(ca_text, read_file(ca_file, 1 << 20));
  NANBYO_TRY(cas, pem::decode_certificates(ca_text, ca_file.string()));
  for (auto& ca : cas) X509_STORE_add_cert(store.get(), ca.get());
  if (!crl_file.empty()) {
    NANBYO_TRY(crl_text, read_file(crl_file, 64 << 20));
    NANBYO_TRY(crls, pem::decode_crls(crl_text, crl_file.string()));
    // Every certificate of the chain is checked against its issuer's CRL, so a
    // revoked issuing CA refuses all the PCs it issued (nanbyo-pki publishes
    // the root CA's CRL in the same file). The CRL signatures are verified
    // here, once, not in every handshake (crl_check.h).
    install_crl_check(store.get(), cas, std::move(crls));
  }
  return store;
}

Result<std::shared_ptr<ssl::context>> make_server_context(const TlsSettings& s) {
  SSL_CTX* raw = SSL_CTX_new(TLS_server_method());
  if (!raw) return tls_error("cannot create a TLS context");
  auto ctx = std::make_shared<ssl::context>(raw);
  SSL_CTX* c = ctx->native_handle();
  SSL_CTX_set_min_proto_version(c, s.allow_tls12 ? TLS1_2_VERSION : TLS1_3_VERSION);
  SSL_CTX_set_options(
      c, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  if (SSL_CTX_set_cipher_list(c, kTls12Ciphers) != 1)
    return tls_error("cannot set TLS 1.2 ciphers");
  if (SSL_CTX_use_certificate_chain_file(c, s.certificate.c_str()) != 1) {
    return tls_error("cannot load server certificate " + s.certificate.string());
  }
  // "credential:NAME" is the copy systemd's LoadCredential= made (S-4 key).
  auto key_file = service::resolve_credential_path(s.private_key.string());
  if (!key_file) return key_file.error();
  if (SSL_CTX_use_PrivateKey_file(c, key_file->c_str(), SSL_FILETYPE_PEM) != 1) {
    return tls_error("cannot load server key " + s.private_key.string());
  }
  if (SSL_CTX_check_private_key(c) != 1) {
    return tls_error(s.private_key.string() + " does not match " + s.certificate.string());
  }
  SSL_CTX_set_session_id_context(c, kSessionContext, sizeof kSessionContext - 1);
  if (s.client_cert == ClientCertMode::None) return ctx;

  NANBYO_TRY(store, make_trust_store(s.client_ca, s.crl));
  SSL_CTX_set_cert_store(c, store.release());
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(s.client_ca.c_str());
  if (names) SSL_CTX_set_client_CA_list(c, names);
  int mode = SSL_VERIFY_PEER;
  if (s.client_cert == ClientCertMode::Required) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  SSL_CTX_set_verify(c, mode, nullptr);
  install_verify_notes(c);
  SSL_CTX_set_verify_depth(c, 3);
  return ctx;
}

}  // namespace nanbyo::gw
