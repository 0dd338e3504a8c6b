// The HTTP/1.1 listener of nanbyo-appcore: a UNIX socket (production: the
// gateway's upstream) or a loopback TCP port (development, tests). Each
// connection is a coroutine that reads a request within the limits, asks the
// handler, writes the answer, and keeps the connection alive for the gateway's
// upstream pool.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "appcore/web/asio.h"
#include "pki/result.h"

namespace nanbyo::web {

struct HttpLimits {
  std::size_t max_header_bytes = 8 * 1024;   // Beast's safe default
  std::size_t max_body_bytes = 1024 * 1024;  // forms and JSON
  std::size_t max_upload_bytes = 64u << 20;  // routes that take a file (HttpHandler::body_limit)
  std::chrono::seconds header_timeout{10};   // whole header, once its first byte came
  std::chrono::seconds body_timeout{120};    // whole body (a 64 MB upload over the VPN)
  std::chrono::seconds idle_timeout{75};     // between requests on a kept-alive connection
};

// Where to listen: "unix:/run/nanbyo/appcore.sock" or "127.0.0.1:8080"
// (loopback only: the headers the gateway adds are trusted, see
// gateway_identity.h, so nothing else may reach the port; port 0 = any free).
struct ListenAddress {
  bool is_unix = false;
  std::string path;  // unix
  std::string host;  // tcp: 127.0.0.1 or ::1
  unsigned short port = 0;
  static Result<ListenAddress> parse(const std::string& text);
};

struct Peer {
  bool trusted = false;  // UNIX socket, or a loopback TCP peer
  std::string address;   // "unix" or "127.0.0.1:port"
};

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // The body limit for this request, decided on its header (uploads get more).
  virtual std::size_t body_limit(const Request& header) const = 0;
  // Never throws; a failure is an error response.
  virtual awaitable<Response> handle(Request request, Peer peer) = 0;
};

// Who may connect to the UNIX socket (issue 12, DESIGN.md "peer credentials
// checked"): the kernel's SO_PEERCRED of each accepted connection must name
// `uid`; any other is closed before a byte is read and reported.
struct UnixPeerPolicy {
  std::optional<uid_t> uid;  // nullopt: no check (a TCP listener has none to make)
  // Called with "uid U pid P" of a refused connection (log and audit it).
  std::function<void(const std::string& peer)> on_refused;
};

class HttpServer {
 public:
  // Binds now (an error names the address); `socket_mode` for a UNIX socket,
  // e.g. 0660 so the gateway's group may connect.
  static Result<std::unique_ptr<HttpServer>> bind(asio::io_context& io, const ListenAddress& where,
                                                  HttpLimits limits, HttpHandler& handler,
                                                  unsigned socket_mode = 0660,
                                                  UnixPeerPolicy peers = {});
  virtual ~HttpServer() = default;
  // Starts accepting on the io_context.
  virtual void start() = 0;
  // "unix:/path" or "127.0.0.1:<bound port>".
  virtual std::string local_address() const = 0;
};

}  // namespace nanbyo::web
