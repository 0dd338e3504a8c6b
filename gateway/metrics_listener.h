// The admin listener: Prometheus text on GET /metrics, loopback only (the
// policy refuses any other address), plain HTTP.
#pragma once

#include <functional>
#include <string>

#include "gateway/asio.h"
#include "pki/result.h"
#include "policy/policy.h"

namespace nanbyo::gw {

// Fails when the address cannot be bound (the gateway then refuses to start).
Result<void> serve_metrics(asio::io_context& io, const policy::Endpoint& endpoint,
                           std::function<std::string()> render);

}  // namespace nanbyo::gw
