// Builds X.509 v3 certificates for the four profiles the appliance issues.
#pragma once

#include <string>
#include <vector>

#include "pki/clock.h"
#include "pki/key_signer.h"
#include "pki/name_constraints.h"
#include "pki/ossl_handles.h"
#include "pki/result.h"

namespace nanbyo::pki {

// OcspSigner: the gateway's own self-signed OCSP signing certificate, trusted by charon as a
// locally installed OCSP signer (gateway/ipsec/ocsp_responder.h); never issued by the CA.
enum class CertificateKind { RootCa, IssuingCa, Server, Client, OcspSigner };

struct CertificateRequest {
  CertificateKind kind;
  X509_NAME* subject;    // borrowed
  EVP_PKEY* public_key;  // borrowed; only the public half is used
  TimePoint not_before;
  TimePoint not_after;
  std::vector<std::string> dns_names;     // Server only, validated by the caller
  std::vector<std::string> ip_addresses;  // Server only, validated by the caller
  PermittedNames permitted;               // RootCa only: name constraints (issue 13)
};

// A fresh random positive serial of 16 octets (126 random bits) (RFC 5280 allows up to 20 octets).
ossl::Asn1IntegerPtr random_serial();

// Self-signed when `issuer` is null (the root CA signs itself with `self_key`).
Result<ossl::X509Ptr> build_certificate(const CertificateRequest& request, KeySigner& issuer);
Result<ossl::X509Ptr> build_self_signed(const CertificateRequest& request, EVP_PKEY* self_key);

}  // namespace nanbyo::pki
