// The gateway's own answers (errors it decides). User-facing text is Japanese.
#pragma once

#include "gateway/upstream_pool.h"

namespace nanbyo::gw {

Response error_response(http::status status, unsigned version, bool keep_alive,
                        const std::string& request_id);

}  // namespace nanbyo::gw
