// nanbyo-tund's handling of one connection (issue 13), over a socketpair: every refusal reaches
// the gateway as an "error" answer without a descriptor, and the helper logs it. Creating a
// real interface is proven by tests/vpn_scenario/vpn_privsep.py (root, network namespace).
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "gateway/tund/fd_passing.h"
#include "gateway/tund/tund_server.h"

using namespace nanbyo::tund;

namespace {

ServerOptions options(uid_t allowed) {
  nanbyo::policy::Vpn vpn;
  vpn.address_pool = *nanbyo::net::Cidr::parse("10.255.0.0/24");
  vpn.gateway_address = *nanbyo::net::Ipv4Address::parse("10.255.0.1");
  return {limits_from_policy(vpn).value(), allowed, {}};
}

struct Pair {
  UniqueFd gateway, helper;
  Pair() {
    int fds[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) == 0);
    gateway = UniqueFd(fds[0]);
    helper = UniqueFd(fds[1]);
  }
};

// Sends `text` (and `fd`) as the gateway, lets the helper serve, returns its log line and
// what the gateway received.
std::pair<std::string, Received> exchange(const std::string& text, uid_t allowed, int fd = -1) {
  Pair pair;
  REQUIRE(send_message(pair.gateway.get(), text, fd));
  std::string line = serve_one(pair.helper.get(), options(allowed));
  auto answer = receive_message(pair.gateway.get(), kMaxMessage);
  REQUIRE(answer);
  return {line, std::move(answer.value())};
}

}  // namespace

TEST_CASE("a malformed request is refused and logged with the peer", "[tund]") {
  auto [line, answer] = exchange("open 10.255.0.2", getuid());
  CHECK(answer.text == "error request without an MTU");
  CHECK_FALSE(answer.fd);
  CHECK(line.find("refused pid ") == 0);
  CHECK(line.find("uid " + std::to_string(getuid())) != std::string::npos);
}

TEST_CASE("an address outside the helper's pool is refused before any interface exists", "[tund]") {
  auto [line, answer] = exchange("open 192.168.1.1 1400", getuid());
  CHECK(answer.text == "error address 192.168.1.1 is outside the pool 10.255.0.0/24");
  CHECK_FALSE(answer.fd);
}

TEST_CASE("a peer that is neither root nor the gateway's user may not ask", "[tund]") {
  if (getuid() == 0) {
    // Root is always allowed, so from root a foreign uid cannot be shown with a socketpair.
    SUCCEED("running as root: the refusal of other uids is covered by vpn_privsep.py");
    return;
  }
  auto [line, answer] = exchange("open 10.255.0.2 1400", getuid() + 1);
  CHECK(answer.text == "error uid " + std::to_string(getuid()) + " may not ask");
}

TEST_CASE("a request carrying a descriptor is refused and the descriptor closed", "[tund]") {
  auto [line, answer] = exchange("open 10.255.0.2 1400", getuid(), STDIN_FILENO);
  CHECK(answer.text == "error a request carries no descriptor");
  CHECK_FALSE(answer.fd);
}

TEST_CASE("a message longer than the protocol allows is refused", "[tund]") {
  auto [line, answer] = exchange("open 10.255.0.2 " + std::string(300, '1'), getuid());
  CHECK(answer.text == "error receive: message too long");
}

TEST_CASE("a descriptor and its message travel together", "[tund]") {
  Pair pair;
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  REQUIRE(send_message(pair.helper.get(), encode_ok("nbvpn3"), write_end.get()));
  auto got = receive_message(pair.gateway.get(), kMaxMessage);
  REQUIRE(got);
  CHECK(got->text == "ok nbvpn3");
  REQUIRE(got->fd);
  write_end.reset();
  REQUIRE(write(got->fd.get(), "x", 1) == 1);
  char c = 0;
  CHECK(read(read_end.get(), &c, 1) == 1);
  CHECK(c == 'x');
}
