#include "gateway/metrics_listener.h"

namespace nanbyo::gw {
namespace {

awaitable<void> answer(TcpSocket socket, std::function<std::string()> render) {
  TcpStream stream(std::move(socket));
  beast::flat_buffer buffer;
  beast::error_code ec;
  for (;;) {
    http::request<http::empty_body> request;
    stream.expires_after(std::chrono::seconds(10));
    co_await http::async_read(stream, buffer, request, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    http::response<http::string_body> response{http::status::ok, request.version()};
    if (request.method() != http::verb::get || request.target() != "/metrics") {
      response.result(http::status::not_found);
    } else {
      response.set(http::field::content_type, "text/plain; version=0.0.4");
      response.body() = render();
    }
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    co_await http::async_write(stream, response, asio::redirect_error(use_awaitable, ec));
    if (ec || !request.keep_alive()) co_return;
  }
}

awaitable<void> accept(TcpAcceptor acceptor, std::function<std::string()> render) {
  for (;;) {
    beast::error_code ec;
    auto socket = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;
    if (!ec)
      asio::co_spawn(acceptor.get_executor(), answer(std::move(socket), render), asio::detached);
  }
}

}  // namespace

Result<void> serve_metrics(asio::io_context& io, const policy::Endpoint& endpoint,
                           std::function<std::string()> render) {
  if (endpoint.port == 0) return {};
  TcpAcceptor acceptor(io);
  tcp::endpoint ep(asio::ip::make_address(endpoint.host), endpoint.port);
  beast::error_code ec;
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(16, ec);
  if (ec)
    return fail("metrics listener: cannot listen on " + endpoint.to_string() + ": " + ec.message());
  asio::co_spawn(io, accept(std::move(acceptor), std::move(render)), asio::detached);
  return {};
}

}  // namespace nanbyo::gw
