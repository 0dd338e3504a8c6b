#include "gateway/client_cert_check.h"

#include <algorithm>

#include "pki/names.h"

namespace nanbyo::gw {
namespace {

int notes_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

int verify_callback(int preverify_ok, X509_STORE_CTX* store) {
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* notes = ssl ? static_cast<HandshakeNotes*>(SSL_get_ex_data(ssl, notes_index())) : nullptr;
  // Only a failure needs the notes: a verified leaf is read after the handshake.
  if (notes && !preverify_ok) {
    if (X509* leaf = sk_X509_num(X509_STORE_CTX_get0_chain(store)) > 0
                         ? sk_X509_value(X509_STORE_CTX_get0_chain(store), 0)
                         : X509_STORE_CTX_get0_cert(store)) {
      if (notes->leaf_serial.empty()) {
        notes->leaf_serial = pki::serial_hex(leaf);
        notes->leaf_subject = pki::subject_text(leaf);
      }
    }
    if (notes->verify_error == X509_V_OK) {
      notes->verify_error = X509_STORE_CTX_get_error(store);
      notes->verify_depth = X509_STORE_CTX_get_error_depth(store);
    }
  }
  return preverify_ok;
}

std::string check_for(int error) {
  switch (error) {
    case X509_V_ERR_CERT_REVOKED:
      return "revoked";
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "expired";
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "not-yet-valid";
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      return "untrusted-issuer";
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
      return "crl-unavailable";
    case X509_V_ERR_INVALID_PURPOSE:
      return "wrong-key-usage";
    default:
      return "verify-failed";
  }
}

// A resumed TLS session skips the chain verification of a full handshake: its certificate
// was good when the session began, which says nothing of now (an expired certificate, a
// revoked issuing CA). The chain kept in the session is verified again against the
// listener's current trust store, its CRLs and the clock (issue 14).
CertVerdict reverify_resumed(SSL* ssl, X509* cert) {
  CertVerdict v;
  v.identity.serial = pki::serial_hex(cert);
  X509_STORE* store = SSL_CTX_get_cert_store(SSL_get_SSL_CTX(ssl));
  ossl::X509StoreCtxPtr verify(X509_STORE_CTX_new());
  if (!store || !verify ||
      X509_STORE_CTX_init(verify.get(), store, cert, SSL_get_peer_cert_chain(ssl)) != 1) {
    v.check = "verify-failed";
    v.detail = "cannot verify the resumed session's certificate again";
    return v;
  }
  X509_STORE_CTX_set_default(verify.get(), "ssl_client");
  X509_VERIFY_PARAM_set1(X509_STORE_CTX_get0_param(verify.get()), SSL_get0_param(ssl));
  if (X509_verify_cert(verify.get()) != 1) {
    const int error = X509_STORE_CTX_get_error(verify.get());
    v.check = check_for(error);
    v.detail = std::string(X509_verify_cert_error_string(error)) + " at depth " +
               std::to_string(X509_STORE_CTX_get_error_depth(verify.get())) +
               " (resumed session) for " + pki::subject_text(cert);
    return v;
  }
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(verify.get());
  if (chain && sk_X509_num(chain) > 1) {
    v.identity.issuer_serial = pki::serial_hex(sk_X509_value(chain, 1));
  }
  v.allowed = true;
  return v;
}

}  // namespace

void attach_handshake_notes(SSL* ssl, HandshakeNotes* notes) {
  SSL_set_ex_data(ssl, notes_index(), notes);
}

void install_verify_notes(SSL_CTX* ctx) {
  SSL_CTX_set_verify(ctx, SSL_CTX_get_verify_mode(ctx), verify_callback);
}

CertVerdict explain_handshake_failure(const HandshakeNotes& notes, bool peer_sent_certificate,
                                      const std::string& tls_error) {
  CertVerdict v;
  v.identity.serial = notes.leaf_serial;
  if (notes.verify_error != X509_V_OK) {
    v.check = check_for(notes.verify_error);
    v.detail = std::string(X509_verify_cert_error_string(notes.verify_error)) + " at depth " +
               std::to_string(notes.verify_depth) +
               (notes.leaf_subject.empty() ? "" : " for " + notes.leaf_subject);
  } else if (!peer_sent_certificate && tls_error.find("certificate") != std::string::npos) {
    v.check = "no-certificate";
    v.detail = tls_error;
  } else {
    v.check = "tls-handshake-failed";
    v.detail = tls_error;
  }
  return v;
}

CertVerdict judge_client(SSL* ssl, ClientCertMode mode,
                         const policy::HospitalAllowList& allowed_hospitals,
                         const RevocationBus& revocations) {
  CertVerdict v;
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (!cert) {
    if (mode == ClientCertMode::Required) {
      v.check = "no-certificate";
      v.detail = "the listener requires a client certificate";
      return v;
    }
    v.allowed = true;
    return v;
  }
  v.identity.serial = pki::serial_hex(cert);
  if (SSL_session_reused(ssl) == 1) {
    CertVerdict again = reverify_resumed(ssl, cert);
    if (!again.allowed) return again;
    v.identity.issuer_serial = again.identity.issuer_serial;
  } else if (STACK_OF(X509)* chain = SSL_get0_verified_chain(ssl);
             chain && sk_X509_num(chain) > 1) {
    v.identity.issuer_serial = pki::serial_hex(sk_X509_value(chain, 1));
  }
  auto identity = pki::client_identity(cert);
  if (!identity) {
    v.check = "no-identity";
    v.detail = identity.error().message;
    return v;
  }
  v.identity.hospital = identity->hospital_number;
  v.identity.terminal = identity->terminal;
  if (revocations.certificate_revoked(v.identity.serial) ||
      (!v.identity.issuer_serial.empty() &&
       revocations.certificate_revoked(v.identity.issuer_serial))) {
    v.check = "revoked";
    v.detail = "certificate " + v.identity.serial + " is revoked";
    return v;
  }
  if (!allowed_hospitals.allows(v.identity.hospital)) {
    v.check = "hospital-not-allowed";
    v.detail = "hospital " + v.identity.hospital + " may not use this listener";
    return v;
  }
  v.allowed = true;
  return v;
}

}  // namespace nanbyo::gw
