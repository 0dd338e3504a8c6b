// Who an IKE SA's peer is (S-10): charon's ike-updown names the peer only by its identity
// (the certificate's subject); the certificate itself, as charon verified it, comes from
// list-certs filtered by that subject. From it: serial, 医療機関番号 and terminal, as the
// TLS paths read them (pki::client_identity).
#pragma once

#include <vector>

#include "gateway/connection_registry.h"
#include "gateway/ipsec/vici_message.h"
#include "pki/result.h"

namespace nanbyo::ipsec {

// From list-cert events: the end-entity certificate valid most recently (a PC may have had
// several with the same subject; charon accepted only a valid, unrevoked one).
Result<gw::PeerIdentity> peer_identity(const std::vector<ViciSection>& list_cert_events);

}  // namespace nanbyo::ipsec
