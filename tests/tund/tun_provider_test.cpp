// The gateway's side of the TUN helper (issue 13): HelperTunProvider against a stand-in helper
// on a real UNIX socket path, so the client's connect, request, answer and descriptor handling
// run without CAP_NET_ADMIN.
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "gateway/tund/fd_passing.h"
#include "gateway/tund/tun_provider.h"
#include "gateway/tund/tun_request.h"
#include "gateway/tund/tund_server.h"

using namespace nanbyo;
using namespace nanbyo::tund;
namespace fs = std::filesystem;

namespace {

struct SocketDir {
  fs::path dir;
  SocketDir() {
    std::string tmpl = (fs::temp_directory_path() / "nanbyo-tund-test-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
  }
  ~SocketDir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// Accepts one connection, records the request and answers with `answer` (and a pipe's write
// end when `with_fd`).
struct StandInHelper {
  UniqueFd listener;
  std::string request;
  std::thread thread;

  StandInHelper(const fs::path& path, std::string answer, bool with_fd) {
    auto bound = listen_on(path, getgid());
    REQUIRE(bound);
    listener = std::move(bound.value());
    thread = std::thread([this, answer, with_fd] {
      UniqueFd connection(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
      auto got = receive_message(connection.get(), kMaxMessage);
      if (got) request = got->text;
      int pipe_fds[2];
      if (::pipe(pipe_fds) != 0) return;
      UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
      (void)send_message(connection.get(), answer, with_fd ? write_end.get() : -1);
    });
  }
  ~StandInHelper() {
    if (thread.joinable()) thread.join();
  }
};

gw::TunConfig config() {
  return {*nanbyo::net::Ipv4Address::parse("10.255.0.1"),
          *nanbyo::net::Ipv4Address::parse("10.255.0.7"), 1300, "nbvpn%d"};
}

}  // namespace

TEST_CASE("the gateway asks for the client address and MTU only and adopts the descriptor",
          "[tund]") {
  SocketDir where;
  const fs::path path = where.dir / "tund.sock";
  StandInHelper helper(path, "ok nbvpn4", true);
  auto provider = gw::make_helper_tun_provider(path);
  auto device = provider->open(config());
  helper.thread.join();
  REQUIRE(device);
  CHECK(device->name() == "nbvpn4");
  CHECK(device->fd() >= 0);
  CHECK(helper.request == "open 10.255.0.7 1300");
  CHECK((fs::status(path).permissions() & fs::perms::others_all) == fs::perms::none);
}

TEST_CASE("the helper's refusal reaches the gateway as the tunnel's error", "[tund]") {
  SocketDir where;
  const fs::path path = where.dir / "tund.sock";
  StandInHelper helper(path, "error address 10.255.0.7 is outside the pool 10.0.0.0/24", false);
  auto device = gw::make_helper_tun_provider(path)->open(config());
  helper.thread.join();
  REQUIRE_FALSE(device);
  CHECK(device.error().message ==
        "the TUN helper refused: address 10.255.0.7 is outside the pool 10.0.0.0/24");
}

TEST_CASE("an ok without a descriptor, or a bad name, is not a TUN device", "[tund]") {
  SocketDir where;
  const fs::path path = where.dir / "tund.sock";
  SECTION("no descriptor") {
    StandInHelper helper(path, "ok nbvpn4", false);
    auto device = gw::make_helper_tun_provider(path)->open(config());
    helper.thread.join();
    REQUIRE_FALSE(device);
    CHECK(device.error().message == "the TUN helper answered without a descriptor");
  }
  SECTION("a name the helper never makes") {
    StandInHelper helper(path, "ok eth0:1", true);
    auto device = gw::make_helper_tun_provider(path)->open(config());
    helper.thread.join();
    REQUIRE_FALSE(device);
    CHECK(device.error().message == "the TUN helper sent a bad interface name");
  }
}

TEST_CASE("no helper listening: the tunnel fails with the socket named", "[tund]") {
  SocketDir where;
  auto device = gw::make_helper_tun_provider(where.dir / "absent.sock")->open(config());
  REQUIRE_FALSE(device);
  CHECK(device.error().message.find("TUN helper " + (where.dir / "absent.sock").string() +
                                    ": connect: ") == 0);
}
