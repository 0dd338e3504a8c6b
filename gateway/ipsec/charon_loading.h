// Loading charon over VICI from the policy's ipsec section (S-10): the CA chain (each CA an
// authority whose OCSP URI is the gateway's responder, whose signer it trusts), the server's
// key (read here, wiped after, never a file charon reads), the CRL (and a flush of charon's
// cached CRLs), the pool and the connection. The controller calls these at start, on
// reconnect, on reload and when the CRL file changes.
#pragma once

#include "gateway/ipsec/vici_client.h"
#include "policy/policy.h"

namespace nanbyo::ipsec {

// The gateway's OCSP responder as charon gets it: the signer to trust and the URI to ask.
struct OcspSetup {
  std::string signer_pem;
  std::string uri;
};

gw::awaitable<Result<void>> load_crl(ViciClient& vici, const policy::Ipsec& config);
// Forgets the OCSP answers charon cached, so that its next authentication asks again.
gw::awaitable<Result<void>> forget_ocsp_answers(ViciClient& vici);
// `ocsp` null: no responder, charon relies on the CRL alone.
gw::awaitable<Result<void>> load_everything(ViciClient& vici, const policy::Ipsec& config,
                                            const OcspSetup* ocsp);

}  // namespace nanbyo::ipsec
