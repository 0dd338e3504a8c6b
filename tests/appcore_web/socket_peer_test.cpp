// The UNIX socket accepts only the gateway's user (issue 12, SO_PEERCRED): a
// connection from another uid is closed before a byte is read and reported.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "../pki/test_support.h"
#include "appcore/web/http_server.h"
#include "appcore/web/responses.h"

using namespace nanbyo;
using namespace nanbyo::web;

namespace {

class Ok final : public HttpHandler {
 public:
  std::size_t body_limit(const Request&) const override { return 64; }
  awaitable<Response> handle(Request, Peer) override {
    co_return json_response(http::status::ok, {{"ok", true}});
  }
};

// One GET over the socket; the raw response ("" when closed without one).
std::string round_trip(const std::string& path) {
  asio::io_context io;
  asio::local::stream_protocol::socket s(io);
  s.connect(asio::local::stream_protocol::endpoint(path));
  beast::error_code ec;
  asio::write(
      s, asio::buffer(std::string("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")), ec);
  std::string out;
  char buf[4096];
  for (;;) {
    std::size_t n = s.read_some(asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec) break;
  }
  return out;
}

// A server on `dir`/appcore.sock that admits `uid` only, on its own thread.
struct SocketServer {
  SocketServer(const std::filesystem::path& dir, uid_t uid)
      : path((dir / "appcore.sock").string()) {
    UnixPeerPolicy peers;
    peers.uid = uid;
    peers.on_refused = [this](const std::string& peer) {
      std::lock_guard lock(mutex);
      refused.push_back(peer);
    };
    auto bound = HttpServer::bind(io, *ListenAddress::parse("unix:" + path), HttpLimits{}, ok, 0666,
                                  std::move(peers));
    REQUIRE(bound.ok());
    server = std::move(bound).value();
    server->start();
    loop = std::thread([this] { io.run(); });
  }
  ~SocketServer() {
    io.stop();
    loop.join();
  }
  std::vector<std::string> refusals() {
    std::lock_guard lock(mutex);
    return refused;
  }
  std::string path;
  asio::io_context io;
  Ok ok;
  std::unique_ptr<HttpServer> server;
  std::thread loop;
  std::mutex mutex;
  std::vector<std::string> refused;
};

}  // namespace

TEST_CASE("the UNIX socket serves the configured user", "[server][issue-12]") {
  testing::TempDir dir;
  SocketServer s(dir.path(), ::getuid());
  CHECK(round_trip(s.path).starts_with("HTTP/1.1 200"));
  CHECK(s.refusals().empty());
}

TEST_CASE("the UNIX socket closes a connection from another uid", "[server][issue-12]") {
  testing::TempDir dir;
  SocketServer s(dir.path(), ::getuid() + 1);  // the gateway is someone else
  CHECK(round_trip(s.path).empty());
  REQUIRE(s.refusals().size() == 1);
  CHECK(s.refusals()[0].starts_with("uid " + std::to_string(::getuid()) + " pid "));
}

TEST_CASE("as root: another user's process is refused, the gateway's served",
          "[server][issue-12]") {
  if (::geteuid() != 0) return;  // needs setuid in a child
  testing::TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
  SocketServer s(dir.path(), 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // A stranger on the appliance (nobody) who can reach the socket file.
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
    try {
      ::_exit(round_trip(s.path).empty() ? 0 : 1);
    } catch (...) {
      ::_exit(2);
    }
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  REQUIRE(s.refusals().size() == 1);
  CHECK(s.refusals()[0].starts_with("uid 65534 "));
  CHECK(round_trip(s.path).starts_with("HTTP/1.1 200"));
}
