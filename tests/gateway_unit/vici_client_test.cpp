// The VICI client against a scripted charon on a UNIX socket (issue 16, S-10): commands,
// streamed commands, errors; hostile bytes from the socket end the connection with an error.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <optional>

#include "gateway/ipsec/vici_client.h"
#include "tests/must.h"

using namespace nanbyo::ipsec;
namespace asio = boost::asio;
using nanbyo::Result;

namespace {

using Acceptor = asio::basic_socket_acceptor<asio::local::stream_protocol, nanbyo::gw::Executor>;

std::string packet(ViciPacketType type, const std::string& name, const ViciSection& message = {}) {
  return nanbyo::testing::must(encode_packet({type, name, message}));
}

ViciSection kv(const std::string& k, const std::string& v) {
  ViciSection s;
  s.add(k, v);
  return s;
}

// A fake charon: for each packet the client sends, `script` answers with raw bytes.
struct FakeCharon {
  asio::io_context io;
  std::string path = (std::filesystem::temp_directory_path() /
                      ("vici-test-" + std::to_string(::getpid()) + ".sock"))
                         .string();
  Acceptor acceptor{io.get_executor()};
  std::vector<ViciPacket> received;

  explicit FakeCharon(std::function<std::string(const ViciPacket&)> script) {
    std::filesystem::remove(path);
    acceptor.open();
    acceptor.bind(asio::local::stream_protocol::endpoint(path));
    acceptor.listen();
    asio::co_spawn(io, serve(std::move(script)), asio::detached);
  }
  ~FakeCharon() { std::filesystem::remove(path); }

  nanbyo::gw::awaitable<void> serve(std::function<std::string(const ViciPacket&)> script) {
    auto socket = co_await acceptor.async_accept(nanbyo::gw::use_awaitable);
    for (;;) {
      std::string header(4, '\0');
      boost::system::error_code ec;
      co_await asio::async_read(socket, asio::buffer(header),
                                asio::redirect_error(nanbyo::gw::use_awaitable, ec));
      if (ec) co_return;
      std::string body(parse_length(header).value(), '\0');
      co_await asio::async_read(socket, asio::buffer(body), nanbyo::gw::use_awaitable);
      received.push_back(parse_packet(body).value());
      const std::string answer = script(received.back());
      co_await asio::async_write(socket, asio::buffer(answer), nanbyo::gw::use_awaitable);
    }
  }

  template <typename T>
  Result<T> run(std::function<nanbyo::gw::awaitable<Result<T>>(ViciClient&)> body) {
    std::optional<Result<T>> out;
    auto owned = make_vici_client(io.get_executor(), std::chrono::milliseconds(300));
    ViciClient& client = *owned;
    asio::co_spawn(
        io,
        [&]() -> nanbyo::gw::awaitable<void> {
          auto connected = co_await client.connect(path);
          if (!connected) {
            out.emplace(connected.error());
          } else {
            out.emplace(co_await body(client));
          }
          io.stop();
        },
        asio::detached);
    io.run();
    return std::move(*out);
  }
};

}  // namespace

TEST_CASE("S-10 a command returns charon's response", "[vici]") {
  FakeCharon charon([](const ViciPacket&) {
    return packet(ViciPacketType::CmdResponse, "", kv("version", "5.9.8"));
  });
  auto response = charon.run<ViciSection>([](ViciClient& c) { return c.command("version"); });
  REQUIRE(response);
  CHECK(response->get("version") == "5.9.8");
  CHECK(charon.received.at(0).name == "version");
}

TEST_CASE("S-10 success=no and CMD_UNKNOWN are errors with charon's reason", "[vici]") {
  FakeCharon charon([](const ViciPacket& p) {
    if (p.name == "load-cert") {
      ViciSection s = kv("success", "no");
      s.add("errmsg", "parsing X509 certificate failed");
      return packet(ViciPacketType::CmdResponse, "", s);
    }
    return std::string("\0\0\0\1\2", 5);
  });
  auto failed =
      charon.run<ViciSection>([](ViciClient& c) -> nanbyo::gw::awaitable<Result<ViciSection>> {
        auto unknown = co_await c.command("no-such-command");
        REQUIRE_FALSE(unknown);
        CHECK(unknown.error().message.find("does not know the command") != std::string::npos);
        co_return co_await c.command("load-cert");
      });
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message == "VICI: load-cert failed: parsing X509 certificate failed");
}

TEST_CASE("S-10 a streamed command gathers its events until the response", "[vici]") {
  FakeCharon charon([](const ViciPacket& p) {
    if (p.type == ViciPacketType::EventRegister || p.type == ViciPacketType::EventUnregister) {
      return packet(ViciPacketType::EventConfirm, "");
    }
    ViciSection a, b;
    a.add_section("conn").add("uniqueid", "1");
    b.add_section("conn").add("uniqueid", "2");
    return packet(ViciPacketType::Event, "list-sa", a) +
           packet(ViciPacketType::Event, "list-sa", b) + packet(ViciPacketType::CmdResponse, "");
  });
  auto sas = charon.run<std::vector<ViciSection>>(
      [](ViciClient& c) { return c.streamed("list-sas", "list-sa"); });
  REQUIRE(sas);
  REQUIRE(sas->size() == 2);
  CHECK(sas->at(1).section("conn")->get("uniqueid") == "2");
  REQUIRE(charon.received.size() == 3);
  CHECK(charon.received[2].type == ViciPacketType::EventUnregister);
}

TEST_CASE("S-10 hostile bytes from the socket are an error, not a crash", "[vici]") {
  const std::string answer = GENERATE(std::string("\xff\xff\xff\xff", 4),  // 4 GiB announced
                                      std::string("\0\0\0\3\1\1\1", 7),    // unclosed section
                                      std::string("\0\0\0\1\x09", 5),      // unknown type
                                      std::string("\0\0\0\1\5", 5));       // confirm, no command
  FakeCharon charon([&](const ViciPacket&) { return answer; });
  auto response = charon.run<ViciSection>([](ViciClient& c) { return c.command("version"); });
  REQUIRE_FALSE(response);
  CHECK(response.error().message.rfind("VICI: ", 0) == 0);
}

TEST_CASE("S-10 a silent charon times out", "[vici]") {
  FakeCharon charon([](const ViciPacket&) { return std::string(); });
  auto response = charon.run<ViciSection>([](ViciClient& c) { return c.command("version"); });
  REQUIRE_FALSE(response);
  CHECK(response.error().message.find("within the timeout") != std::string::npos);
}
