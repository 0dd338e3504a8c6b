#include "metrics/http_listener.h"

#include <atomic>
#include <memory>
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace nanbyo::metrics {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t kMaxHeaderBytes = 4096;
constexpr auto kRequestTimeout = std::chrono::seconds(10);
constexpr std::size_t kMaxConnections = 8;  // Prometheus scrapes with one; leave room for curl

asio::awaitable<void> answer(tcp::socket socket, std::function<std::string()> render,
                             std::shared_ptr<std::atomic<std::size_t>> open) {
  ++*open;
  struct Count {
    std::shared_ptr<std::atomic<std::size_t>> open;
    ~Count() { --*open; }
  } counted{open};
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer(kMaxHeaderBytes);
  for (;;) {
    beast::error_code ec;
    http::request_parser<http::empty_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(0);
    stream.expires_after(kRequestTimeout);
    co_await http::async_read(stream, buffer, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    const auto& request = parser.get();
    http::response<http::string_body> response{http::status::ok, request.version()};
    if (request.target() != "/metrics") {
      response.result(http::status::not_found);
    } else if (request.method() != http::verb::get) {
      response.result(http::status::method_not_allowed);
      response.set(http::field::allow, "GET");
    } else {
      response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      response.body() = render();
    }
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    stream.expires_after(kRequestTimeout);
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !request.keep_alive()) co_return;
  }
}

asio::awaitable<void> accept(tcp::acceptor acceptor, std::function<std::string()> render) {
  auto open = std::make_shared<std::atomic<std::size_t>>(0);
  for (;;) {
    beast::error_code ec;
    auto socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;
    if (ec || *open >= kMaxConnections) continue;  // the socket closes as it goes
    asio::co_spawn(acceptor.get_executor(), answer(std::move(socket), render, open),
                   asio::detached);
  }
}

}  // namespace

Result<void> serve_http(asio::io_context& io, const std::string& host, uint16_t port,
                        std::function<std::string()> render) {
  if (port == 0) return {};
  const std::string where =
      (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return Error{"metrics listener: " + where + " is not an IP address"};
  tcp::endpoint endpoint(address, port);
  tcp::acceptor acceptor(io);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(16, ec);
  if (ec) return Error{"metrics listener: cannot listen on " + where + ": " + ec.message()};
  asio::co_spawn(io, accept(std::move(acceptor), std::move(render)), asio::detached);
  return {};
}

}  // namespace nanbyo::metrics
