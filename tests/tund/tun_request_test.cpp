// The gateway -> nanbyo-tund request and the answer (issue 13): strict on what the helper
// reads, since it is the only input a compromised gateway can send the privileged side.
#include <catch2/catch.hpp>

#include "gateway/tund/tun_request.h"

using namespace nanbyo::tund;

TEST_CASE("a request round-trips through its text form", "[tund]") {
  const TunRequest request{*nanbyo::net::Ipv4Address::parse("10.255.0.2"), 1400};
  const std::string text = encode_request(request);
  CHECK(text == "open 10.255.0.2 1400");
  auto parsed = parse_request(text);
  REQUIRE(parsed);
  CHECK(parsed->peer == request.peer);
  CHECK(parsed->mtu == 1400);
}

TEST_CASE("the helper refuses every request that is not exactly canonical", "[tund]") {
  for (const char* bad : {"",
                          "open",
                          "open ",
                          "open 10.255.0.2",
                          "open 10.255.0.2 ",
                          "open 10.255.0.2  1400",
                          " open 10.255.0.2 1400",
                          "OPEN 10.255.0.2 1400",
                          "open 10.255.0.02 1400",
                          "open 010.255.0.2 1400",
                          "open 10.255.2 1400",
                          "open 10.255.0.256 1400",
                          "open ::1 1400",
                          "open 10.255.0.2 01400",
                          "open 10.255.0.2 1400\n",
                          "open 10.255.0.2 -1",
                          "open 10.255.0.2 +1",
                          "open 10.255.0.2 999999",
                          "open 10.255.0.2 1400 nbvpn0",
                          "close 10.255.0.2 1400",
                          "open 10.255.0.2\t1400"}) {
    INFO(bad);
    CHECK_FALSE(parse_request(bad));
  }
  CHECK_FALSE(parse_request("open 10.255.0.2 " + std::string(200, '1')));
}

TEST_CASE("an answer names an interface or carries the helper's refusal", "[tund]") {
  auto ok = parse_reply(encode_ok("nbvpn7"));
  REQUIRE(ok);
  CHECK(*ok == "nbvpn7");
  auto refused = parse_reply(encode_error("address 10.0.0.9 is outside the pool"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "the TUN helper refused: address 10.0.0.9 is outside the pool");
  CHECK_FALSE(parse_reply("ok ../../etc"));
  CHECK_FALSE(parse_reply("ok nbvpn0 extra"));
  CHECK_FALSE(parse_reply("ok "));
  CHECK_FALSE(parse_reply("maybe"));
  CHECK_FALSE(parse_reply(std::string("error \x1b[31m", 10)));
}

TEST_CASE("error answers are printable and bounded whatever the message", "[tund]") {
  const std::string text = encode_error(std::string("bad\nline\x01", 9) + std::string(500, 'x'));
  CHECK(text.size() <= kMaxMessage);
  CHECK(text.starts_with("error bad?line?"));
  CHECK_FALSE(parse_reply(text));
}

TEST_CASE("interface names are what the kernel and the helper agree on", "[tund]") {
  CHECK(is_interface_name("nbvpn0"));
  CHECK(is_interface_name("nbvpn12345"));
  CHECK_FALSE(is_interface_name(""));
  CHECK_FALSE(is_interface_name("0nbvpn"));
  CHECK_FALSE(is_interface_name("nbvpn%d"));
  CHECK_FALSE(is_interface_name("NBVPN0"));
  CHECK_FALSE(is_interface_name("nb-vpn0"));
  CHECK_FALSE(is_interface_name("abcdefghijklmnop"));  // 16 > IFNAMSIZ - 1
}
