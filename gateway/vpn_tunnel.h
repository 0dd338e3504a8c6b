// `CONNECT /CSCOSSLC/tunnel` on a VPN listener: checks the webvpn cookie against the
// certificate on this connection, leases an address, creates the session's TUN interface,
// answers `200 CONNECTED` with the X-CSTP headers and runs the tunnel until it ends. Every
// refusal is an HTTP error with an audit record; the address and the interface are released
// on every exit path.
#pragma once

#include <string>

#include "gateway/session_context.h"
#include "gateway/upstream_pool.h"

namespace nanbyo::gw {

awaitable<void> serve_vpn_tunnel(Stream& stream, beast::flat_buffer& buffer, const Request& request,
                                 Connection& conn, Context& ctx, const std::string& request_id);

}  // namespace nanbyo::gw
