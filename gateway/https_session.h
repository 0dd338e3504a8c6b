// One client connection on a TLS listener: handshake, client-certificate
// verdict, then HTTP/1.1 requests until the client, a timeout or a revocation
// ends it. The handler per request is chosen here (reverse proxy now; the
// OpenConnect tunnel on CONNECT /CSCOSSLC/tunnel later).
#pragma once

#include <string>

#include "gateway/asio.h"
#include "gateway/services.h"

namespace nanbyo::gw {

// `counted_as` is the listener's metrics slot, looked up once by the accept loop.
awaitable<void> serve_connection(TcpSocket socket, std::string listener, Services& services,
                                 Worker& worker, ListenerMetrics& counted_as);

}  // namespace nanbyo::gw
