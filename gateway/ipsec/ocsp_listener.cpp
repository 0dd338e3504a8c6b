#include "gateway/ipsec/ocsp_listener.h"

namespace nanbyo::ipsec {

using gw::awaitable;
using gw::use_awaitable;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

constexpr std::size_t kMaxBody = 16 * 1024;
constexpr std::size_t kMaxHeader = 4 * 1024;
constexpr unsigned kMaxOpen = 32;  // charon asks one at a time per authentication
constexpr std::chrono::seconds kDeadline{5};

// The media type without parameters, in lower case.
bool is_ocsp_request(beast::string_view content_type) {
  beast::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return beast::iequals(type, "application/ocsp-request");
}

}  // namespace

Result<std::unique_ptr<OcspListener>> OcspListener::listen(boost::asio::io_context& io,
                                                           const policy::Endpoint& endpoint,
                                                           OcspAnswer answer) {
  gw::TcpAcceptor acceptor(io.get_executor());
  beast::error_code ec;
  const gw::tcp::endpoint at(asio::ip::make_address(endpoint.host, ec), endpoint.port);
  if (!ec) acceptor.open(at.protocol(), ec);
  if (!ec) acceptor.set_option(gw::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(at, ec);
  if (!ec) acceptor.listen(kMaxOpen, ec);
  if (ec) {
    return fail("ipsec.ocsp_listen: cannot listen on " + endpoint.to_string() + ": " +
                ec.message());
  }
  policy::Endpoint bound = endpoint;  // port 0 (tests): the one the kernel chose
  bound.port = acceptor.local_endpoint().port();
  std::unique_ptr<OcspListener> listener(
      new OcspListener(std::move(acceptor), std::move(bound), std::move(answer)));
  asio::co_spawn(io, listener->accept(), asio::detached);
  return listener;
}

OcspListener::OcspListener(gw::TcpAcceptor acceptor, policy::Endpoint endpoint, OcspAnswer answer)
    : acceptor_(std::move(acceptor)), endpoint_(std::move(endpoint)), answer_(std::move(answer)) {}

OcspListener::~OcspListener() {
  beast::error_code ignored;
  acceptor_.close(ignored);
}

std::string OcspListener::uri() const {
  return "http://" + endpoint_.to_string() + "/";
}

awaitable<void> OcspListener::accept() {
  for (;;) {
    beast::error_code ec;
    auto socket = co_await acceptor_.async_accept(asio::redirect_error(use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec || open_ >= kMaxOpen) continue;  // the socket closes as it goes out of scope
    asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
  }
}

awaitable<void> OcspListener::serve(gw::TcpSocket socket) {
  ++open_;
  struct Release {
    unsigned& open;
    ~Release() { --open; }
  } release{open_};
  gw::TcpStream stream(std::move(socket));
  beast::flat_buffer buffer;
  http::request_parser<http::string_body> parser;
  parser.header_limit(kMaxHeader);
  parser.body_limit(kMaxBody);
  stream.expires_after(kDeadline);
  beast::error_code ec;
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
  http::response<http::string_body> response;
  response.version(11);
  response.keep_alive(false);
  if (ec == http::error::body_limit || ec == http::error::header_limit) {
    response.result(http::status::payload_too_large);
  } else if (ec) {
    co_return;  // cut short, too slow or not HTTP: nothing to answer
  } else if (parser.get().method() != http::verb::post) {
    response.result(http::status::method_not_allowed);
    response.set(http::field::allow, "POST");
  } else if (!is_ocsp_request(parser.get()[http::field::content_type])) {
    response.result(http::status::unsupported_media_type);
  } else {
    response.result(http::status::ok);
    response.set(http::field::content_type, "application/ocsp-response");
    response.set(http::field::cache_control, "no-store");
    const std::string& body = parser.get().body();
    response.body() = answer_(std::string_view(body));
  }
  response.prepare_payload();
  co_await http::async_write(stream, response, asio::redirect_error(use_awaitable, ec));
  stream.socket().shutdown(gw::tcp::socket::shutdown_both, ec);
}

}  // namespace nanbyo::ipsec
