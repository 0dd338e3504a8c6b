// The gateway's charon controller against a hostile charon (issue 16, S-10): a malformed
// packet on the event connection is audited and the controller connects again; nothing
// crashes. The scenarios (tests/ipsec_scenario/) drive it against the real charon.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "gateway/ipsec/ipsec_controller.h"
#include "pki/audit/queued_sink.h"
#include "pki/clock.h"

using namespace nanbyo;
using namespace nanbyo::ipsec;
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

using Acceptor = asio::basic_socket_acceptor<asio::local::stream_protocol, gw::Executor>;
using UnixSocket = asio::basic_stream_socket<asio::local::stream_protocol, gw::Executor>;

// Confirms every registration, answers every command with success, and after confirming
// an ike-updown registration sends bytes no VICI parser may accept.
struct HostileCharon {
  asio::io_context io;
  fs::path path;
  Acceptor acceptor{io.get_executor()};
  std::atomic<int> subscriptions{0};
  std::thread thread;

  explicit HostileCharon(fs::path socket) : path(std::move(socket)) {
    acceptor.open();
    acceptor.bind(asio::local::stream_protocol::endpoint(path.string()));
    acceptor.listen();
    asio::co_spawn(io, accept(), asio::detached);
    thread = std::thread([this] { io.run(); });
  }
  ~HostileCharon() {
    io.stop();
    thread.join();
  }

  gw::awaitable<void> accept() {
    for (;;) {
      auto socket = co_await acceptor.async_accept(gw::use_awaitable);
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }

  gw::awaitable<void> serve(UnixSocket socket) {
    for (;;) {
      std::string header(4, '\0');
      boost::system::error_code ec;
      co_await asio::async_read(socket, asio::buffer(header),
                                asio::redirect_error(gw::use_awaitable, ec));
      if (ec) co_return;
      std::string body(parse_length(header).value(), '\0');
      co_await asio::async_read(socket, asio::buffer(body),
                                asio::redirect_error(gw::use_awaitable, ec));
      if (ec) co_return;
      const ViciPacket packet = parse_packet(body).value();
      std::string answer;
      if (packet.type == ViciPacketType::EventRegister) {
        answer = encode_packet({ViciPacketType::EventConfirm, "", {}}).value();
        if (packet.name == "ike-updown") {
          ++subscriptions;
          answer += std::string("\0\0\0\4\7\x0aik", 8);  // a name longer than the packet
        }
      } else {
        ViciSection ok;
        ok.add("success", "yes");
        answer = encode_packet({ViciPacketType::CmdResponse, "", ok}).value();
      }
      co_await asio::async_write(socket, asio::buffer(answer),
                                 asio::redirect_error(gw::use_awaitable, ec));
      if (ec) co_return;
    }
  }
};

}  // namespace

TEST_CASE("S-10 a malformed event from charon is audited and the controller reconnects",
          "[ipsec]") {
  const fs::path dir = fs::temp_directory_path() / ("ipsec-ctl-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  SystemClock clock;
  gw::Services services;
  auto log = audit::AuditLog::open(dir / "audit.log", clock);
  REQUIRE(log);
  audit::QueuedAuditSink sink(std::move(log.value()), {});
  sink.start();
  services.audit = &sink;
  {
    HostileCharon charon(dir / "charon.vici");
    IpsecController controller(services);
    policy::Ipsec config;
    config.vici_socket = dir / "charon.vici";
    config.certificate = dir / "missing.crt";  // loading fails: audited, retried
    config.ocsp_listen = {"127.0.0.1", 0, false};
    REQUIRE(controller.start(config));
    for (int i = 0; i < 60 && charon.subscriptions < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(charon.subscriptions >= 2);  // subscribed again after the broken packet
    controller.stop();
  }
  sink.flush();
  std::ifstream in(dir / "audit.log");
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  CHECK(text.find("\"event\":\"ipsec-vici-error\"") != std::string::npos);
  CHECK(text.find("VICI: truncated packet name") != std::string::npos);
  CHECK(text.find("\"event\":\"ipsec-config\",\"outcome\":\"deny\"") != std::string::npos);
  fs::remove_all(dir);
}
