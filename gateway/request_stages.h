// The stages a proxied request passes, each one file of logic with an explicit
// verdict (CONVENTIONS rule 3): identity headers, routing and hospital policy.
// Inspection (IDS, S-3) plugs in as another stage later.
#pragma once

#include <string>

#include "gateway/connection_registry.h"
#include "gateway/contract/identity_headers.h"
#include "gateway/contract/session_header.h"
#include "gateway/upstream_pool.h"
#include "policy/policy.h"

namespace nanbyo::gw {

// Headers only the gateway may set (the contract's, gateway/contract/identity_headers.h, and
// other proxies' forwarding headers); any copy from the client is removed.
inline constexpr const char* kIdentityHeaders[] = {
    contract::kCertSerialHeader,
    contract::kHospitalHeader,
    contract::kTerminalHeader,
    contract::kListenerHeader,
    contract::kRequestIdHeader,
    contract::kForwardedForHeader,
    contract::kForwardedProtoHeader,
    "X-Real-IP",
    "Forwarded",
};
// Set by the upstream to tell the gateway whose session a response belongs to; never
// forwarded to the client (gateway/contract/session_header.h).
using contract::kSessionHeader;

struct StageVerdict {
  bool proceed = true;
  http::status status = http::status::ok;  // when !proceed
  std::string check;                       // audit: which check refused
  std::string detail;
};

// Removes spoofed identity and hop-by-hop headers, then adds the verified identity.
void rewrite_identity_headers(Request& request, const PeerIdentity& identity,
                              const std::string& listener, const std::string& peer,
                              const std::string& request_id);

// Chooses the route; refuses unknown paths and hospitals the route does not admit.
StageVerdict route_request(const policy::Policy& policy, const std::string& listener,
                           const PeerIdentity& identity, const Request& request,
                           const policy::Route*& route);

// The path of a request target without its query; rejects targets that are
// not origin-form or that contain dot segments or encoded slashes.
bool normalized_path(std::string_view target, std::string& path);

void strip_hop_by_hop(http::fields& fields);

}  // namespace nanbyo::gw
