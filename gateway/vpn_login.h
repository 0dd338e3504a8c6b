// The OpenConnect login on a VPN listener: `POST /` with `X-Aggregate-Auth: 1` and a
// <config-auth> body. The client certificate, checked in the handshake and by judge_client,
// is the whole login: the answer is <config-auth type="complete"> and the webvpn cookie the
// client then presents on `CONNECT /CSCOSSLC/tunnel`.
#pragma once

#include <string>

#include "gateway/session_context.h"
#include "gateway/upstream_pool.h"

namespace nanbyo::gw {

enum class VpnRequest { None, Login, Tunnel };

// What a request on a VPN listener asks of the VPN, if anything.
VpnRequest classify_vpn_request(const Request& request);

// The answer to a login request, audited (vpn-login allow or deny with the check).
Response vpn_login_response(const Request& request, Context& ctx, const std::string& request_id);

}  // namespace nanbyo::gw
