// An HTTP/1.1 message written as two buffers: its header laid out in one reused buffer,
// then its (Content-Length framed) body as it is. Beast's http::async_write walks a
// buffer sequence of ~3 buffers per field through buffers_cat/suffix/prefix views at every
// step: about a fifth of the instructions of a proxied request, against one copy of a few
// hundred bytes here. The body is not copied, so the buffer stays header-sized. To the
// upstream the two buffers leave in one sendmsg; to the client beast::ssl_stream's
// flat_stream joins them (up to 16 KB) into one TLS record, as it did for Beast's
// serializer. Messages that Beast must frame (chunked) still go through its serializer.
//
// One write_some carries both buffers (all of a small message); what is left goes through
// async_write without a std::array: asio's async_write special-cases
// std::array<const_buffer, 2> and, once the header is sent, hands the stream an empty first
// buffer before the body. flat_stream then writes a zero-length prefix, and a write of 0
// bytes ends async_write "successfully" with the body unsent (bodies over 16 KB stalled).
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "gateway/asio.h"
#include "gateway/upstream_pool.h"

namespace nanbyo::gw {

// Replaces `out` with the message's header as it goes on the wire (start line, fields,
// `added_fields` (whole "Name: value\r\n" lines), blank line); false (and `out` untouched)
// when the body is chunked.
bool serialize_header(const Request& request, std::string& out, std::string_view added_fields = {});
bool serialize_header(const Response& response, std::string& out);

// A header laid out in `wire`, then `body`.
template <typename AsyncStream>
awaitable<void> write_header_and_body(AsyncStream& stream, const std::string& wire,
                                      const std::string& message_body, beast::error_code& ec) {
  const auto header = asio::buffer(wire);
  const auto body = asio::buffer(message_body);
  // Named, not braced temporaries inside co_await (g++ 12 may destroy those twice).
  const std::array<asio::const_buffer, 2> both{header, body};
  const std::size_t sent =
      co_await stream.async_write_some(both, asio::redirect_error(use_awaitable, ec));
  if (ec || sent == header.size() + body.size()) co_return;
  if (sent < header.size()) {
    const auto rest = beast::buffers_cat(header + sent, body);
    co_await asio::async_write(stream, rest, asio::redirect_error(use_awaitable, ec));
  } else {
    co_await asio::async_write(stream, body + (sent - header.size()),
                               asio::redirect_error(use_awaitable, ec));
  }
}

template <typename AsyncStream, bool isRequest>
awaitable<void> write_message(AsyncStream& stream,
                              const http::message<isRequest, http::string_body>& message,
                              std::string& wire, beast::error_code& ec) {
  if (serialize_header(message, wire)) {
    co_await write_header_and_body(stream, wire, message.body(), ec);
  } else {
    co_await http::async_write(stream, message, asio::redirect_error(use_awaitable, ec));
  }
}

}  // namespace nanbyo::gw
