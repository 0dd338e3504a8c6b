// Only the gateway says who is calling (S-1, S-7): every identity header a client sends is
// removed, then the verified identity is added. Removed, in any letter case: the whole
// X-Nanbyo- family, the names the gateway sets (X-Forwarded-*, X-Request-Id, ...), the
// policy's identity headers and prefixes (policy::Http: the client-certificate and
// remote-user families of other proxies), and hop-by-hop headers.
#pragma once

#include <string_view>

#include "gateway/contract/identity_headers.h"
#include "gateway/contract/session_header.h"
#include "gateway/stages/request_chain.h"

namespace nanbyo::gw {

// Headers only the gateway may set besides the X-Nanbyo- family (gateway/contract/).
inline constexpr const char* kIdentityHeaders[] = {
    contract::kRequestIdHeader,
    contract::kForwardedForHeader,
    contract::kForwardedProtoHeader,
    "X-Forwarded-Host",
    "X-Real-IP",
    "Forwarded",
};
using contract::kGatewayHeaderPrefix;
// Set by the upstream to tell the gateway whose session a response belongs to; never
// forwarded to the client (gateway/contract/session_header.h).
using contract::kSessionHeader;

// Whether a client's header `name` claims an identity (see above).
bool is_identity_header(std::string_view name, const policy::Http& http);

class IdentityHeaders final : public RequestStage {
 public:
  StageVerdict run(RequestView& view) const override;
};

}  // namespace nanbyo::gw
