// After the core revoked a user's key and ended their sessions here (ID-5,
// ID-6, ID-7), the gateway closes the user's live connections (S-8). The core's
// change stands even when the gateway cannot be told; the caller reports it.
#pragma once

#include <nlohmann/json.hpp>

#include "appcore/core/app_core.h"
#include "appcore/web/request_context.h"

namespace nanbyo::web {

struct GatewayNotice {
  bool told = false;
  uint32_t closed = 0;  // connections the gateway closed
};

GatewayNotice tell_gateway(RequestContext& ctx, const appcore::RevocationOutcome& outcome);
nlohmann::json to_json(const appcore::RevocationOutcome& o, const GatewayNotice& g);
// Japanese sentence for the result page.
std::string describe(const appcore::RevocationOutcome& o, const GatewayNotice& g);

}  // namespace nanbyo::web
