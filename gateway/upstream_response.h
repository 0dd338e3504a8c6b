// The upstream's response as the gateway forwards it, read without Beast's field tree
// (issue 15): a response_parser builds a node per field, looks each name up and frees them
// all again, only for the gateway to write the same lines back. Here the lines the client
// gets are copied once into one buffer as they are parsed; what the gateway owns is taken
// out on the way: hop-by-hop headers and those Connection names (RFC 9110 7.6.1), the
// framing (the body is complete in memory and framed again by its length), trailers, and
// the session header the upstream addresses to the gateway alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

namespace nanbyo::gw {

namespace beast = boost::beast;
namespace http = boost::beast::http;

struct UpstreamResponse {
  unsigned status = 0;
  unsigned version = 11;
  std::string reason;
  std::string fields;                  // "Name: value\r\n" for each header passed on, in order
  std::optional<std::string> session;  // X-Nanbyo-Session, never passed on
  std::optional<std::uint64_t> content_length;  // as the upstream framed it
  std::string body;
};

class UpstreamResponseParser final : public http::basic_parser<false> {
 public:
  explicit UpstreamResponseParser(UpstreamResponse& out) : out_(out) {}

 private:
  void on_request_impl(http::verb, beast::string_view, beast::string_view, int,
                       beast::error_code& ec) override;
  void on_response_impl(int code, beast::string_view reason, int version,
                        beast::error_code& ec) override;
  void on_field_impl(http::field name, beast::string_view name_string, beast::string_view value,
                     beast::error_code& ec) override;
  void on_header_impl(beast::error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         beast::error_code& ec) override;
  std::size_t on_body_impl(beast::string_view body, beast::error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, beast::string_view extensions,
                            beast::error_code& ec) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, beast::string_view body,
                                 beast::error_code& ec) override;
  void on_finish_impl(beast::error_code& ec) override;
  void note_connection_names(beast::string_view value);

  UpstreamResponse& out_;
  std::string connection_names_;  // the Connection header's tokens, comma-joined
};

// Replaces `out` with the header the client gets for `response`: the status line in the
// client's HTTP `version`, the passed-on fields, the framing and the keep-alive choice.
void serialize_header(const UpstreamResponse& response, unsigned version, bool keep_alive,
                      bool head_request, std::string& out);

}  // namespace nanbyo::gw
