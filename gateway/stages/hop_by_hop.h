// Hop-by-hop headers (RFC 9110 7.6.1) end at the gateway, in both directions.
#pragma once

#include "gateway/asio.h"

namespace nanbyo::gw {

// Removes Connection, the headers it names, Keep-Alive, Proxy-*, TE, Trailer and Upgrade.
void strip_hop_by_hop(http::fields& fields);

}  // namespace nanbyo::gw
