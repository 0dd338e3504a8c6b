// The gateway's OCSP responder for charon (S-8, S-10, issue 16). charon checks a PC
// certificate's revocation inside IKE authentication, but it knows only the CRLs it was
// given: a certificate revoked live (`nanbyoctl revoke-cert`), a blocked terminal or a hospital
// removed from the allow-list would get an SA that the gateway must end after the fact.
// Asked over OCSP instead (charon's revocation plugin, the authority's ocsp_uris), the gateway
// answers from its own revocation state, so charon refuses such a PC before any SA exists.
//
// The answers are signed by a key that exists only in the gateway's memory: a fresh P-256 key
// and a self-signed certificate with the OCSPSigning usage, generated at every start and
// handed to charon as a locally trusted OCSP signer (load-cert flag OCSP). The CA's key is
// not involved. Answers are valid for one second (nextUpdate), so charon asks again for
// every authentication instead of trusting a cached "good".
//
// Boost-free (fuzzed: tests/fuzz/ocsp_request_fuzz.cpp); the HTTP side is ocsp_listener.h.
#pragma once

#include <ctime>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "pki/ossl_handles.h"
#include "pki/result.h"

namespace nanbyo::ipsec {

// What the gateway knows of one serial (uppercase hex, as pki::serial_hex writes it).
struct SerialStatus {
  enum class State { Good, Revoked } state = State::Good;
  int reason = 0;     // an OCSP/CRL revocation reason code (OCSP_REVOKED_STATUS_*)
  std::string check;  // why, for the audit: revoked | blocked | hospital-not-allowed
};
using StatusOf = std::function<SerialStatus(const std::string& serial)>;

// One certificate the request asked about, and what it was told.
struct OcspAnswered {
  std::string serial;
  std::string status;  // good | revoked | unknown (not issued by a CA the gateway serves)
  std::string check;   // for revoked: the SerialStatus's check
};

struct OcspOutcome {
  std::string response_der;            // always a DER OCSPResponse, also for a bad request
  std::vector<OcspAnswered> answered;  // empty for a bad request
  std::string error;                   // why the request was refused (malformedRequest)
};

class OcspResponder {
 public:
  // A fresh signing key and certificate.
  static Result<OcspResponder> create();
  // The CA certificates (PEM) whose certificates it answers for (at start and on reload);
  // the signer stays.
  Result<void> set_issuers(const std::vector<std::string>& issuers_pem);

  // The signer's certificate, for charon's load-cert (flag OCSP).
  const std::string& signer_pem() const { return signer_pem_; }

  // Answers one DER OCSPRequest (RFC 6960). Requests over 16 KiB or with more than
  // 16 certificates are malformed; an unknown hash algorithm or issuer gets "unknown".
  OcspOutcome respond(std::string_view request_der, const StatusOf& status_of,
                      std::time_t now = std::time(nullptr)) const;

 private:
  OcspResponder() = default;

  std::vector<ossl::X509Ptr> issuers_;
  ossl::X509Ptr signer_;
  ossl::EvpPkeyPtr key_;
  std::string signer_pem_;
};

}  // namespace nanbyo::ipsec
