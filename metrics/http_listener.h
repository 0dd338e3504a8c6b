// The loopback HTTP listener both processes serve their metrics on: GET /metrics answers
// `render()` as Prometheus text, anything else 404. Plain HTTP, small limits: a request
// header of at most 4 KB and no body, 10 s to send it, a few connections at a time; the
// callers refuse non-loopback addresses when they read their configuration.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "pki/result.h"

namespace nanbyo::metrics {

// Binds host:port now (a port of 0 serves nothing) and answers on `io`'s threads; fails with
// a message naming the address when it cannot be bound.
Result<void> serve_http(boost::asio::io_context& io, const std::string& host, uint16_t port,
                        std::function<std::string()> render);

}  // namespace nanbyo::metrics
