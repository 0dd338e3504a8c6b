// The gateway's own header serialization puts on the wire exactly what Beast's serializer
// would, for requests and responses, and leaves chunked messages to Beast.
#include <catch2/catch.hpp>

#include <thread>

#include "gateway/http_wire.h"

using namespace nanbyo::gw;

namespace {

template <bool isRequest>
std::string beast_bytes(http::message<isRequest, http::string_body> message) {
  std::string out;
  http::serializer<isRequest, http::string_body> serializer(message);
  beast::error_code ec;
  while (!serializer.is_done()) {
    serializer.next(ec, [&](beast::error_code&, const auto& buffers) {
      for (auto b : beast::buffers_range_ref(buffers)) {
        out.append(static_cast<const char*>(b.data()), b.size());
      }
      serializer.consume(beast::buffer_bytes(buffers));
    });
    REQUIRE(!ec);
  }
  return out;
}

template <bool isRequest>
std::string wire_bytes(const http::message<isRequest, http::string_body>& message) {
  std::string out = "stale bytes from the previous message";
  REQUIRE(serialize_header(message, out));
  return out + message.body();
}

}  // namespace

TEST_CASE("a proxied request is serialized byte for byte as Beast would", "[http_wire]") {
  Request request{http::verb::post, "/api/forms?id=7", 11};
  request.set(http::field::host, "appcore");
  request.insert("X-Nanbyo-Hospital", "1310000001");
  request.insert("x-custom", "a");
  request.insert("X-Custom", "b");  // repeated fields keep their order
  request.body() = "{\"name\":\"難病\"}";
  request.prepare_payload();
  CHECK(wire_bytes(request) == beast_bytes(request));

  Request custom;
  custom.method_string("PROPFIND");
  custom.target("/dav/");
  custom.version(10);
  CHECK(wire_bytes(custom) == beast_bytes(custom));
}

TEST_CASE("a response is serialized byte for byte as Beast would", "[http_wire]") {
  Response ok{http::status::ok, 11};
  ok.set(http::field::content_type, "application/octet-stream");
  ok.body() = std::string(1024, 'x');
  ok.prepare_payload();
  CHECK(wire_bytes(ok) == beast_bytes(ok));

  Response reason{http::status::not_found, 10};
  reason.reason("Nicht gefunden");
  reason.keep_alive(false);
  reason.prepare_payload();
  CHECK(wire_bytes(reason) == beast_bytes(reason));

  Response unusual;
  unusual.result(599);
  unusual.version(11);
  CHECK(wire_bytes(unusual) == beast_bytes(unusual));
}

TEST_CASE("chunked messages are left to Beast's serializer", "[http_wire]") {
  Response chunked{http::status::ok, 11};
  chunked.chunked(true);
  std::string out = "untouched";
  CHECK_FALSE(serialize_header(chunked, out));
  CHECK(out == "untouched");
}

// What reaches the peer when write_message goes through beast::flat_stream (as under
// ssl_stream) over a local socket pair: the whole message, for bodies below, at and
// well above the 16 KB flat_stream joins into one write.
TEST_CASE("write_message sends header and body whole through a flat_stream", "[http_wire]") {
  for (const std::size_t size :
       {std::size_t{10}, std::size_t{16383}, std::size_t{16429}, std::size_t{300000}}) {
    asio::io_context io;
    asio::local::stream_protocol::socket reader(io);
    beast::flat_stream<asio::basic_stream_socket<asio::local::stream_protocol, Executor>> writer(
        io.get_executor());
    asio::local::connect_pair(writer.next_layer(), reader);

    Response response{http::status::ok, 11};
    response.body() = std::string(size, 'b');
    response.prepare_payload();
    std::string wire;
    beast::error_code write_ec;
    bool written = false;
    asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
          co_await write_message(writer, response, wire, write_ec);
          written = true;
          writer.next_layer().shutdown(asio::socket_base::shutdown_send);
        },
        asio::detached);
    std::string received;
    std::thread drain([&] {
      beast::error_code ec;
      char chunk[8192];
      while (!ec) received.append(chunk, reader.read_some(asio::buffer(chunk), ec));
    });
    io.run();
    drain.join();

    INFO("body of " << size << " bytes");
    CHECK(written);
    CHECK_FALSE(write_ec);
    CHECK(received == beast_bytes(response));
  }
}
