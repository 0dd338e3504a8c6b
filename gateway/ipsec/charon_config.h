// What the gateway loads into charon, as VICI messages built from the policy's ipsec section
// (S-10, issue 16). Pure functions: the controller sends them, the tests read them.
#pragma once

#include <string>
#include <vector>

#include "gateway/ipsec/vici_message.h"
#include "policy/policy.h"

namespace nanbyo::ipsec {

// load-conn: IKEv2, certificates both ways, the PC's chain to `ca_certs` with strict
// revocation, a virtual IP from the pool, the service networks as the only local selectors.
ViciSection load_conn_message(const policy::Ipsec& ipsec, const std::string& server_cert_pem,
                              const std::vector<std::string>& ca_certs_pem);
std::string pool_name(const policy::Ipsec& ipsec);
ViciSection load_pool_message(const policy::Ipsec& ipsec);
// load-cert of a CA certificate or a CRL (PEM).
ViciSection load_ca_message(const std::string& pem);
ViciSection load_crl_message(const std::string& pem);
// load-cert of the gateway's OCSP signer: trusted by charon for OCSP answers only (flag OCSP).
ViciSection load_ocsp_signer_message(const std::string& pem);
// load-authority: the CA `ca_pem` with the gateway's OCSP responder as its ocsp_uris, which
// charon's revocation plugin asks for the CA's certificates (ocsp_responder.h).
ViciSection load_authority_message(const std::string& name, const std::string& ca_pem,
                                   const std::string& ocsp_uri);
// flush-certs of charon's cached certificates of one type ("X509_CRL", "OCSP_RESPONSE").
ViciSection flush_certs_message(const std::string& type);
// load-key: `type` is charon's name for the key ("ecdsa", "rsa", "ed25519").
ViciSection load_key_message(const std::string& type, const std::string& pem);
// terminate one IKE SA at once (force: no DELETE round trip; timeout -1: return immediately).
ViciSection terminate_message(const std::string& ike_id);

// The PEM blocks of a file holding several certificates, each with its armour.
std::vector<std::string> pem_blocks(const std::string& text, const std::string& label);

}  // namespace nanbyo::ipsec
