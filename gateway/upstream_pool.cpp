#include "gateway/upstream_pool.h"

#include <optional>

#include "gateway/http_wire.h"

namespace nanbyo::gw {
namespace {

asio::generic::stream_protocol::endpoint endpoint_of(const policy::UpstreamAddress& address) {
  if (const auto* unix_socket = std::get_if<policy::UnixSocket>(&address)) {
    return asio::local::stream_protocol::endpoint(unix_socket->path.string());
  }
  const auto& ep = std::get<policy::Endpoint>(address);
  return tcp::endpoint(asio::ip::make_address(ep.host), ep.port);
}

}  // namespace

std::size_t UpstreamPool::idle_count() const {
  std::size_t n = 0;
  for (const auto& [name, streams] : idle_) n += streams.size();
  return n;
}

void UpstreamPool::drop_idle(const policy::Upstream& upstream) {
  if (auto it = idle_.find(upstream.name); it != idle_.end()) idle_.erase(it);
}

std::unique_ptr<UpstreamConnection> UpstreamPool::take(const policy::Upstream& upstream) {
  auto it = idle_.find(upstream.name);
  if (it == idle_.end() || it->second.empty()) return nullptr;
  if (it->second.back()->address != upstream.address) {
    // A reload moved the upstream: its idle connections go to the old address.
    it->second.clear();
    return nullptr;
  }
  auto stream = std::move(it->second.back());
  it->second.pop_back();
  return stream;
}

void UpstreamPool::give_back(const policy::Upstream& upstream,
                             std::unique_ptr<UpstreamConnection> connection) {
  if (connection->address != upstream.address) return;  // moved by a reload meanwhile
  auto it = idle_.find(upstream.name);
  if (it == idle_.end()) it = idle_.emplace(upstream.name, decltype(it->second)()).first;
  auto& streams = it->second;
  if (streams.size() >= upstream.pool_size) return;  // over the pool size: just close it
  connection->deadline.expires_never();
  connection->buffer.consume(connection->buffer.size());  // nothing may follow a response
  streams.push_back(std::move(connection));
}

awaitable<std::unique_ptr<UpstreamConnection>> UpstreamPool::connect(
    const policy::Upstream& upstream, beast::error_code& ec) {
  auto connection = std::make_unique<UpstreamConnection>(executor_, upstream.address);
  connection->buffer.reserve(16 * 1024);  // read a typical response in one recv, not 512-byte steps
  auto endpoint = endpoint_of(upstream.address);
  connection->deadline.expires_after(upstream.connect_timeout);
  co_await connection->stream.async_connect(endpoint, asio::redirect_error(use_awaitable, ec));
  if (ec && connection->deadline.expired()) ec = beast::error::timeout;
  if (!ec && std::holds_alternative<policy::Endpoint>(upstream.address)) {
    connection->stream.socket().set_option(tcp::no_delay(true), ec);
    ec = {};
  }
  co_return std::move(connection);
}

awaitable<ProxyResult> UpstreamPool::forward(const policy::Upstream& upstream, Request& request,
                                             std::string_view added_fields,
                                             std::size_t max_response_bytes) {
  ProxyResult result;
  if (request.chunked()) request.prepare_payload();  // the body is whole: framed by its length
  for (int attempt = 0; attempt < 2; ++attempt) {
    beast::error_code ec;
    auto stream = take(upstream);
    const bool reused = stream != nullptr;
    if (!stream) {
      stream = co_await connect(upstream, ec);
      if (ec) {
        result.status =
            ec == beast::error::timeout ? http::status::gateway_timeout : http::status::bad_gateway;
        result.failure =
            ec == beast::error::timeout ? "upstream-timeout" : "upstream-connect-failed";
        result.detail = upstream.name + ": " + ec.message();
        co_return result;
      }
    }
    stream->deadline.expires_after(upstream.response_timeout);
    serialize_header(request, stream->wire, added_fields);
    co_await write_header_and_body(stream->stream, stream->wire, request.body(), ec);
    if (ec && stream->deadline.expired()) ec = beast::error::timeout;
    // A pooled connection the upstream closed meanwhile: resend, but only what
    // is safe to send twice.
    const bool idempotent =
        request.method() != http::verb::post && request.method() != http::verb::patch;
    if (ec && reused && idempotent) {
      drop_idle(upstream);
      continue;
    }
    beast::flat_buffer& buffer = stream->buffer;
    std::optional<UpstreamResponseParser> parser;
    bool got_some = false;
    // Interim 1xx responses (100 Continue, 103 Early Hints) are consumed here:
    // only the final response answers the request.
    while (!ec) {
      result.response = {};
      parser.emplace(result.response);
      parser->body_limit(max_response_bytes);
      parser->skip(request.method() == http::verb::head);  // no body follows a HEAD answer
      co_await http::async_read(stream->stream, buffer, *parser,
                                asio::redirect_error(use_awaitable, ec));
      got_some = got_some || parser->got_some();
      if (ec && stream->deadline.expired()) ec = beast::error::timeout;
      if (ec || result.response.status / 100 != 1) break;
    }
    if (!ec) {
      result.ok = true;
      // The body is complete in memory and goes on framed by its length (serialize_header);
      // a connection whose response ended with its close is not reused.
      if (parser->keep_alive()) give_back(upstream, std::move(stream));
      co_return result;
    }
    // A stale pooled connection fails before any response byte: the others in
    // the pool are likely dead too (upstream restart), so retry on a fresh one.
    if (reused && idempotent && !got_some && ec != beast::error::timeout) {
      drop_idle(upstream);
      continue;
    }
    result.status =
        ec == beast::error::timeout ? http::status::gateway_timeout : http::status::bad_gateway;
    result.failure = ec == beast::error::timeout ? "upstream-timeout" : "upstream-failed";
    result.detail = upstream.name + ": " + ec.message();
    co_return result;
  }
  result.status = http::status::bad_gateway;
  result.failure = "upstream-failed";
  result.detail = upstream.name + ": connection closed twice";
  co_return result;
}

}  // namespace nanbyo::gw
