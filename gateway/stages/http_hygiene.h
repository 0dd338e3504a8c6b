// HTTP hygiene at the edge (S-3, issue 14): what a careful reverse proxy refuses before
// any routing, for every request including the VPN's.
//   - HTTP/1.1 needs exactly one Host, HTTP/1.0 at most one; it must be a host name,
//     an IPv4 address or a bracketed IPv6 address, with an optional port (400).
//   - Transfer-Encoding: only a single "chunked", never with Content-Length (400,
//     connection closed: the framing of what follows cannot be trusted).
//   - TRACE and TRACK are refused (405), as nginx does.
//   - Header names with "_" are dropped (as nginx's default underscores_in_headers off):
//     "X_Client_DN" must not become X-Client-DN at an upstream that maps "_" to "-".
#pragma once

#include "gateway/stages/request_chain.h"

namespace nanbyo::gw {

class HttpHygiene final : public RequestStage {
 public:
  StageVerdict run(RequestView& view) const override;
};

}  // namespace nanbyo::gw
