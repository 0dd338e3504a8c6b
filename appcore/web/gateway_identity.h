// Who the gateway says is on the other end (set by gateway/stages/identity_headers.cpp, named in
// gateway/contract/identity_headers.h). The gateway removes any copy a client sends and sets them
// itself, so they are trusted only when the request comes over our UNIX socket or from loopback
// (the gateway's host), and every request must carry the ones the gateway always sets.
//
//   always:          X-Nanbyo-Listener, X-Request-Id, X-Forwarded-For, X-Forwarded-Proto (https)
//   with a PC cert:  X-Nanbyo-Cert-Serial, X-Nanbyo-Hospital (医療機関番号), X-Nanbyo-Terminal
#pragma once

#include <string>

#include "appcore/web/asio.h"
#include "pki/result.h"

namespace nanbyo::web {

struct GatewayIdentity {
  std::string listener;
  std::string request_id;
  std::string client_address;  // X-Forwarded-For: the browser's address as the gateway saw it
  std::string cert_serial;     // empty without a client certificate
  std::string hospital;
  std::string terminal;

  bool has_certificate() const { return !cert_serial.empty(); }
  // For the audit trail: "serial@hospital/terminal from address".
  std::string describe() const;
};

// `trusted_transport`: the connection came over the UNIX socket or from a
// loopback address. The error message is safe to show (names the header).
Result<GatewayIdentity> read_gateway_identity(const Request& request, bool trusted_transport);

}  // namespace nanbyo::web
