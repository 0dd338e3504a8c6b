#include "gateway/ipsec/peer_certificate.h"

#include <openssl/x509.h>

#include "pki/names.h"
#include "pki/ossl_handles.h"

namespace nanbyo::ipsec {

Result<gw::PeerIdentity> peer_identity(const std::vector<ViciSection>& list_cert_events) {
  ossl::X509Ptr newest;
  for (const auto& event : list_cert_events) {
    const std::string* der = event.value("data");
    if (!der) continue;
    const auto* bytes = reinterpret_cast<const unsigned char*>(der->data());
    ossl::X509Ptr cert(d2i_X509(nullptr, &bytes, static_cast<long>(der->size())));
    if (!cert || X509_check_ca(cert.get()) != 0) continue;
    if (!newest ||
        ASN1_TIME_compare(X509_get0_notBefore(cert.get()), X509_get0_notBefore(newest.get())) > 0) {
      newest = std::move(cert);
    }
  }
  if (!newest) return fail("charon holds no end-entity certificate with the peer's subject");
  NANBYO_TRY(identity, pki::client_identity(newest.get()));
  gw::PeerIdentity peer;
  peer.serial = pki::serial_hex(newest.get());
  peer.hospital = identity.hospital_number;
  peer.terminal = identity.terminal;
  return peer;
}

}  // namespace nanbyo::ipsec
