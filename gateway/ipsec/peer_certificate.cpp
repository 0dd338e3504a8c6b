#include "gateway/ipsec/peer_certificate.h"

#include <openssl/x509.h>

#include "pki/names.h"
#include "pki/ossl_handles.h"

namespace nanbyo::ipsec {

NamedPeer named_peer(std::string_view remote_id) {
  NamedPeer named;
  std::size_t at = 0;
  while (at < remote_id.size()) {
    std::size_t end = remote_id.find(", ", at);
    if (end == std::string_view::npos) end = remote_id.size();
    const std::string_view rdn = remote_id.substr(at, end - at);
    if (const auto eq = rdn.find('='); eq != std::string_view::npos) {
      const std::string_view key = rdn.substr(0, eq), value = rdn.substr(eq + 1);
      if (key == "CN") named.terminal = std::string(value);
      if (key == "55:04:61" || key == "organizationIdentifier") named.hospital = std::string(value);
    }
    at = end + 2;
  }
  return named;
}

Result<gw::PeerIdentity> peer_identity(const std::vector<ViciSection>& list_cert_events,
                                       std::string_view remote_id) {
  const NamedPeer named = named_peer(remote_id);
  if (named.hospital.empty() || named.terminal.empty()) {
    return fail("the peer's identity names no hospital and terminal: " + std::string(remote_id));
  }
  ossl::X509Ptr newest;
  for (const auto& event : list_cert_events) {
    const std::string* der = event.value("data");
    if (!der) continue;
    const auto* bytes = reinterpret_cast<const unsigned char*>(der->data());
    ossl::X509Ptr cert(d2i_X509(nullptr, &bytes, static_cast<long>(der->size())));
    if (!cert || X509_check_ca(cert.get()) != 0) continue;
    auto identity = pki::client_identity(cert.get());
    if (!identity || identity->hospital_number != named.hospital ||
        identity->terminal != named.terminal) {
      continue;
    }
    if (!newest ||
        ASN1_TIME_compare(X509_get0_notBefore(cert.get()), X509_get0_notBefore(newest.get())) > 0) {
      newest = std::move(cert);
    }
  }
  if (!newest)
    return fail("charon holds no certificate of hospital " + named.hospital + " terminal " +
                named.terminal);
  gw::PeerIdentity peer;
  peer.serial = pki::serial_hex(newest.get());
  peer.hospital = named.hospital;
  peer.terminal = named.terminal;
  return peer;
}

}  // namespace nanbyo::ipsec
