// Only the gateway says who is calling (S-1, S-7): every identity header a client sends is
// removed, then the verified identity is added. Removed, in any letter case: the whole
// X-Nanbyo- family, the names the gateway sets (X-Forwarded-*, X-Request-Id, ...), the
// policy's identity headers and prefixes (policy::Http: the client-certificate and
// remote-user families of other proxies), and hop-by-hop headers.
#pragma once

#include <string_view>

#include "gateway/stages/request_chain.h"

namespace nanbyo::gw {

// Headers only the gateway may set besides the X-Nanbyo- family.
inline constexpr const char* kIdentityHeaders[] = {
    "X-Request-Id",     "X-Forwarded-For", "X-Forwarded-Proto",
    "X-Forwarded-Host", "X-Real-IP",       "Forwarded",
};
inline constexpr std::string_view kGatewayHeaderPrefix = "X-Nanbyo-";
// Set by the upstream to tell the gateway whose session a response belongs to
// ("user=<id>; issued=<unix seconds>"); never forwarded to the client.
inline constexpr const char* kSessionHeader = "X-Nanbyo-Session";

// Whether a client's header `name` claims an identity (see above).
bool is_identity_header(std::string_view name, const policy::Http& http);

class IdentityHeaders final : public RequestStage {
 public:
  StageVerdict run(RequestView& view) const override;
};

}  // namespace nanbyo::gw
