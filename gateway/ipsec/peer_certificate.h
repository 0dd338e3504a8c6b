// Who an IKE SA's peer is (S-10): charon's ike-updown names the peer only by its identity,
// the certificate's subject as charon prints it ("C=JP, O=..., 55:04:61=1310000001, CN=pc01":
// 5.9.8 has no name for organizationIdentifier). The certificate itself, as charon verified
// and cached it, comes from list-certs. From it: serial, 医療機関番号 and terminal, as the
// TLS paths read them (pki::client_identity).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gateway/connection_registry.h"
#include "gateway/ipsec/vici_message.h"
#include "pki/result.h"

namespace nanbyo::ipsec {

// The hospital number and terminal named in charon's identity text, empty when absent.
struct NamedPeer {
  std::string hospital;
  std::string terminal;
};
NamedPeer named_peer(std::string_view remote_id);

// From list-cert events: the end-entity certificate with the identity's hospital and
// terminal that became valid last (a PC may have had several; charon accepted only a valid,
// unrevoked one, and its cache keeps the ones it verified).
Result<gw::PeerIdentity> peer_identity(const std::vector<ViciSection>& list_cert_events,
                                       std::string_view remote_id);

}  // namespace nanbyo::ipsec
