// The revocation check of a client certificate chain against the listener's CRLs, done
// with the CRL signatures verified once, when the CRL file is loaded, instead of at every
// handshake. OpenSSL's own X509_V_FLAG_CRL_CHECK(_ALL) verifies the ECDSA signature of
// every CRL it uses in every handshake (two per client here: the issuing CA's and the
// root CA's CRL), about a sixth of a mutual-TLS handshake's instructions; the CRLs of a
// trust store never change (a new crl.pem builds a new store), so once is enough.
//
// The checks are OpenSSL's (x509_vfy.c check_revocation with CRL_CHECK_ALL): every
// certificate of the verified chain, root included, needs a CRL from its issuer that is
// signed by that issuer, is within lastUpdate/nextUpdate now and has no unhandled
// critical extension, and must not be listed on it. A failure is reported through the
// verify callback with OpenSSL's error codes (X509_V_ERR_CERT_REVOKED,
// X509_V_ERR_UNABLE_TO_GET_CRL, X509_V_ERR_CRL_HAS_EXPIRED, ...), so handshakes fail and
// are audited exactly as before.
#pragma once

#include <vector>

#include "pki/ossl_handles.h"

namespace nanbyo::gw {

// Hands `crls` to `store`: verifies each one's signature against the CA certificate of
// `cas` that issued it and installs the store's check_revocation hook. The store owns
// them from here on (freed with it).
void install_crl_check(X509_STORE* store, const std::vector<ossl::X509Ptr>& cas,
                       std::vector<ossl::X509CrlPtr> crls);

}  // namespace nanbyo::gw
