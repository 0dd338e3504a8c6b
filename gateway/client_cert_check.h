// ClientCertPolicy: the verdict on a client certificate, with the precise
// check that failed, for the audit log (S-1). The TLS layer verifies the chain
// and the CRL during the handshake; this adds the live revocation set and the
// listener's hospital allow-list, and explains failed handshakes.
#pragma once

#include <string>
#include <vector>

#include "gateway/asio.h"
#include "gateway/connection_registry.h"
#include "gateway/revocation_bus.h"
#include "gateway/tls_context.h"

namespace nanbyo::gw {

// What the verify callback saw during the handshake (attached to the SSL).
struct HandshakeNotes {
  int verify_error = 0;  // X509_V_OK when the chain verified
  int verify_depth = 0;
  std::string leaf_serial;
  std::string leaf_subject;
};

void attach_handshake_notes(SSL* ssl, HandshakeNotes* notes);
// Installs the callback that fills HandshakeNotes (once per SSL_CTX).
void install_verify_notes(SSL_CTX* ctx);

struct CertVerdict {
  bool allowed = false;
  // no-certificate | untrusted-issuer | expired | not-yet-valid | revoked |
  // crl-unavailable | wrong-key-usage | no-identity | hospital-not-allowed |
  // tls-handshake-failed | verify-failed
  std::string check;
  std::string detail;
  PeerIdentity identity;
};

// Why a handshake failed, from the notes and the TLS error.
CertVerdict explain_handshake_failure(const HandshakeNotes& notes, bool peer_sent_certificate,
                                      const std::string& tls_error);

// After a successful handshake: identity, live revocation, hospital allow-list.
CertVerdict judge_client(SSL* ssl, ClientCertMode mode,
                         const policy::HospitalAllowList& allowed_hospitals,
                         const RevocationBus& revocations);

}  // namespace nanbyo::gw
