// The upstream's response as the client gets it (issue 15): read without a field tree, it
// must still end every hop-by-hop header, keep the session header and trailers from the
// client, and frame the body it holds by its length.
#include <catch2/catch.hpp>

#include "gateway/upstream_response.h"

using namespace nanbyo::gw;

namespace {

struct Parsed {
  UpstreamResponse response;
  bool keep_alive = false;
};

// Feeds `wire` to the parser in pieces of `step` bytes, as reads from a socket would.
Parsed parse(const std::string& wire, bool head_request = false, std::size_t step = 7) {
  Parsed parsed;
  UpstreamResponseParser parser(parsed.response);
  parser.eager(true);
  parser.skip(head_request);
  std::string pending;
  for (std::size_t at = 0; at < wire.size() && !parser.is_done(); at += step) {
    pending += wire.substr(at, step);
    beast::error_code ec;
    pending.erase(0, parser.put(asio::buffer(pending), ec));  // consumed, even with need_more
    if (ec == http::error::need_more) continue;
    REQUIRE_FALSE(ec);
  }
  REQUIRE(parser.is_done());
  parsed.keep_alive = parser.keep_alive();
  return parsed;
}

std::string client_bytes(const Parsed& parsed, unsigned version = 11, bool keep_alive = true,
                         bool head_request = false) {
  std::string out = "stale bytes of the previous response";
  serialize_header(parsed.response, version, keep_alive, head_request, out);
  return out + parsed.response.body;
}

}  // namespace

TEST_CASE("an upstream response reaches the client with its own fields in order", "[upstream]") {
  const auto parsed = parse(
      "HTTP/1.1 200 OK\r\nServer: appcore\r\nContent-Type: text/html; charset=utf-8\r\n"
      "Set-Cookie: a=1\r\nContent-Length: 5\r\nSet-Cookie: b=2\r\n\r\nhello");
  CHECK(parsed.keep_alive);
  CHECK(client_bytes(parsed) ==
        "HTTP/1.1 200 OK\r\nServer: appcore\r\nContent-Type: text/html; charset=utf-8\r\n"
        "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 5\r\n\r\nhello");
}

TEST_CASE("hop-by-hop headers and the ones Connection names end at the gateway", "[upstream]") {
  // X-Internal comes before the Connection header that names it.
  const auto parsed = parse(
      "HTTP/1.1 200 OK\r\nX-Internal: secret\r\nKeep-Alive: timeout=5\r\nUpgrade: h2c\r\n"
      "Connection: keep-alive, X-Internal\r\nConnection: x-other\r\nX-Other: 1\r\n"
      "TE: trailers\r\nTrailer: X-Sum\r\nProxy-Connection: keep-alive\r\nX-Kept: yes\r\n"
      "Content-Length: 2\r\n\r\nok");
  const auto bytes = client_bytes(parsed);
  CHECK(bytes == "HTTP/1.1 200 OK\r\nX-Kept: yes\r\nContent-Length: 2\r\n\r\nok");
}

TEST_CASE("the session header is the gateway's and never reaches the client", "[upstream]") {
  const auto parsed = parse(
      "HTTP/1.1 302 Found\r\nLocation: /menu\r\nx-nanbyo-session: user=u1; issued=1700000000\r\n"
      "Content-Length: 0\r\n\r\n");
  REQUIRE(parsed.response.session);
  CHECK(*parsed.response.session == "user=u1; issued=1700000000");
  CHECK(client_bytes(parsed).find("ession") == std::string::npos);
}

TEST_CASE("a chunked body is joined and framed by its length, its trailer dropped", "[upstream]") {
  for (std::size_t step : {1, 2, 3, 5, 200}) {
    INFO("bytes per read " << step);
    const auto parsed = parse(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
        "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\nSet-Cookie: late=1\r\n\r\n",
        false, step);
    CHECK(client_bytes(parsed) == "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world");
  }
}

TEST_CASE("a body the upstream ended by closing is framed, and the connection not reused",
          "[upstream]") {
  Parsed parsed;
  UpstreamResponseParser parser(parsed.response);
  parser.eager(true);
  beast::error_code ec;
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end";
  parser.put(asio::buffer(wire), ec);
  REQUIRE(!ec);
  parser.put_eof(ec);
  REQUIRE(!ec);
  REQUIRE(parser.is_done());
  CHECK_FALSE(parser.keep_alive());
  CHECK(client_bytes(parsed) ==
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nuntil the end");
}

TEST_CASE("answers without a body keep the upstream's length, 204 gets none", "[upstream]") {
  const auto head = parse("HTTP/1.1 200 OK\r\nContent-Length: 1024\r\n\r\n", true);
  CHECK(head.keep_alive);
  CHECK(client_bytes(head, 11, true, true) == "HTTP/1.1 200 OK\r\nContent-Length: 1024\r\n\r\n");
  const auto not_modified = parse("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n");
  CHECK(client_bytes(not_modified) == "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n");
  const auto no_content = parse("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
  CHECK(client_bytes(no_content) == "HTTP/1.1 204 No Content\r\n\r\n");
}

TEST_CASE("the client's HTTP version and keep-alive choice decide the framing", "[upstream]") {
  const auto parsed = parse("HTTP/1.1 404 \r\nContent-Length: 1\r\n\r\nx");
  // An empty reason gets the standard one.
  CHECK(client_bytes(parsed, 11, false) ==
        "HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx");
  CHECK(client_bytes(parsed, 10, true) ==
        "HTTP/1.0 404 Not Found\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\nx");
  CHECK(client_bytes(parsed, 10, false) == "HTTP/1.0 404 Not Found\r\nContent-Length: 1\r\n\r\nx");
  // An HTTP/1.0 upstream without keep-alive is not reused.
  CHECK_FALSE(parse("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx").keep_alive);
}

TEST_CASE("a response over the body limit is refused, not truncated", "[upstream]") {
  UpstreamResponse response;
  UpstreamResponseParser parser(response);
  parser.body_limit(4);
  beast::error_code ec;
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
  parser.put(asio::buffer(wire), ec);
  CHECK(ec == http::error::body_limit);
}
