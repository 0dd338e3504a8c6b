// One client connection on a TLS listener: handshake, client-certificate
// verdict, then HTTP/1.1 requests until the client, a timeout or a revocation
// ends it. The handler per request is chosen here (reverse proxy now; the
// OpenConnect tunnel on CONNECT /CSCOSSLC/tunnel later).
#pragma once

#include <string>

#include "gateway/asio.h"
#include "gateway/services.h"

namespace nanbyo::gw {

awaitable<void> serve_connection(TcpSocket socket, std::string listener, Services& services,
                                 Worker& worker);

}  // namespace nanbyo::gw
