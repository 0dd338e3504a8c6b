#include "appcore/web/http_server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "appcore/web/responses.h"

namespace nanbyo::web {
namespace {

using Tcp = asio::ip::tcp;
using Local = asio::local::stream_protocol;

// What a read error means for the client, or nothing when it just went away.
std::optional<http::status> read_failure(const beast::error_code& ec) {
  if (ec == http::error::header_limit) return http::status::request_header_fields_too_large;
  if (ec == http::error::body_limit) return http::status::payload_too_large;
  if (ec.category() == beast::error_code(http::error::bad_method).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return http::status::bad_request;
  }
  return std::nullopt;
}

template <typename Protocol>
awaitable<void> serve(typename Protocol::socket socket, Peer peer, const HttpLimits& limits,
                      HttpHandler& handler) {
  beast::basic_stream<Protocol> stream(std::move(socket));
  beast::flat_buffer buffer;
  for (bool first = true;; first = false) {
    beast::error_code ec;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    // Beast checks a Content-Length against the limit when the header ends, so
    // the largest limit goes first; the route's own is applied below.
    parser.body_limit(std::max(limits.max_body_bytes, limits.max_upload_bytes));
    // Waiting for a request is idle time; once it starts, the header has header_timeout.
    if (buffer.size() == 0) {
      stream.expires_after(first ? limits.header_timeout : limits.idle_timeout);
      std::size_t n = co_await stream.async_read_some(buffer.prepare(4096),
                                                      asio::redirect_error(use_awaitable, ec));
      buffer.commit(n);
      if (ec) co_return;
    }
    stream.expires_after(limits.header_timeout);
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(use_awaitable, ec));
    if (!ec && !parser.is_done()) {
      const std::size_t limit = handler.body_limit(parser.get());
      if (parser.content_length() && *parser.content_length() > limit) ec = http::error::body_limit;
      parser.body_limit(limit);  // chunked bodies: counted as they arrive
    }
    if (!ec && !parser.is_done()) {
      stream.expires_after(limits.body_timeout);
      co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
    }
    if (ec) {
      if (auto status = read_failure(ec)) {
        Response res = html_error_page(*status, status_message(*status), "-");
        apply_security_headers(res);
        res.keep_alive(false);
        stream.expires_after(limits.header_timeout);
        co_await http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
      }
      co_return;
    }
    Request request = parser.release();
    const bool keep_alive = request.keep_alive();
    const unsigned version = request.version();
    Response response = co_await handler.handle(std::move(request), peer);
    response.version(version);
    response.keep_alive(keep_alive);
    stream.expires_after(limits.idle_timeout);
    co_await http::async_write(stream, response, asio::redirect_error(use_awaitable, ec));
    if (ec || !keep_alive) co_return;
  }
}

template <typename Protocol>
class Server final : public HttpServer {
 public:
  Server(asio::io_context& io, HttpLimits limits, HttpHandler& handler, std::string address)
      : acceptor_(io), limits_(limits), handler_(handler), address_(std::move(address)) {}

  typename Protocol::acceptor& acceptor() { return acceptor_; }
  void set_address(std::string a) { address_ = std::move(a); }
  void set_peers(UnixPeerPolicy p) { peers_ = std::move(p); }

  void start() override { asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached); }
  std::string local_address() const override { return address_; }

 private:
  awaitable<void> accept_loop() {
    for (;;) {
      beast::error_code ec;
      auto socket = co_await acceptor_.async_accept(asio::redirect_error(use_awaitable, ec));
      if (ec == asio::error::operation_aborted) co_return;
      if (ec) continue;                 // e.g. EMFILE: keep serving the open connections
      if (!admitted(socket)) continue;  // closed by the socket's destructor
      Peer peer = describe(socket);
      asio::co_spawn(acceptor_.get_executor(),
                     serve<Protocol>(std::move(socket), peer, limits_, handler_), asio::detached);
    }
  }

  // The UNIX socket's peer must be the configured user (the gateway's).
  bool admitted(typename Protocol::socket& socket) {
    if constexpr (std::is_same_v<Protocol, Local>) {
      if (!peers_.uid) return true;
      ucred cred{};
      socklen_t size = sizeof cred;
      if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &size) == 0 &&
          size == sizeof cred && cred.uid == *peers_.uid)
        return true;
      if (peers_.on_refused) {
        peers_.on_refused(size == sizeof cred ? "uid " + std::to_string(cred.uid) + " pid " +
                                                    std::to_string(cred.pid)
                                              : "unknown peer");
      }
      return false;
    } else {
      (void)socket;
      return true;
    }
  }

  static Peer describe(const typename Protocol::socket& socket) {
    if constexpr (std::is_same_v<Protocol, Local>) {
      return {true, "unix"};
    } else {
      beast::error_code ec;
      auto ep = socket.remote_endpoint(ec);
      if (ec) return {false, "unknown"};
      return {ep.address().is_loopback(),
              ep.address().to_string() + ":" + std::to_string(ep.port())};
    }
  }

  typename Protocol::acceptor acceptor_;
  HttpLimits limits_;
  HttpHandler& handler_;
  std::string address_;
  UnixPeerPolicy peers_;
};

}  // namespace

Result<ListenAddress> ListenAddress::parse(const std::string& text) {
  ListenAddress a;
  if (text.starts_with("unix:")) {
    a.is_unix = true;
    a.path = text.substr(5);
    if (a.path.empty() || a.path.front() != '/')
      return fail("listen address " + text + ": expected unix:/absolute/path");
    return a;
  }
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return fail("listen address " + text + ": expected HOST:PORT");
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec || !address.is_loopback())
    return fail("listen address " + text +
                ": only a loopback address (127.0.0.1, ::1) or unix:/path; the gateway's identity "
                "headers are trusted");
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535)
    return fail("listen address " + text + ": bad port");
  a.host = host;
  a.port = static_cast<unsigned short>(std::stoul(port));
  return a;
}

Result<std::unique_ptr<HttpServer>> HttpServer::bind(asio::io_context& io,
                                                     const ListenAddress& where, HttpLimits limits,
                                                     HttpHandler& handler, unsigned socket_mode,
                                                     UnixPeerPolicy peers) {
  beast::error_code ec;
  if (where.is_unix) {
    auto server = std::make_unique<Server<Local>>(io, limits, handler, "unix:" + where.path);
    server->set_peers(std::move(peers));
    // A socket file left by a previous run would make bind fail; only a socket is removed.
    struct stat st {};
    if (lstat(where.path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) ::unlink(where.path.c_str());
    auto& acc = server->acceptor();
    acc.open(Local(), ec);
    if (!ec) acc.bind(Local::endpoint(where.path), ec);
    if (!ec && ::chmod(where.path.c_str(), socket_mode) != 0)
      ec = beast::error_code(errno, boost::system::generic_category());
    if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail("cannot listen on unix:" + where.path + ": " + ec.message());
    return std::unique_ptr<HttpServer>(std::move(server));
  }
  auto server = std::make_unique<Server<Tcp>>(io, limits, handler, "");
  Tcp::endpoint ep(asio::ip::make_address(where.host), where.port);
  auto& acc = server->acceptor();
  acc.open(ep.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(ep, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail("cannot listen on " + where.host + ":" + std::to_string(where.port) + ": " +
                ec.message());
  auto bound = acc.local_endpoint(ec);
  server->set_address(where.host + ":" + std::to_string(bound.port()));
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace nanbyo::web
