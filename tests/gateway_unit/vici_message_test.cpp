// The VICI message and packet codec (issue 16, S-10): what charon sends parses, what the
// gateway builds encodes to charon's bytes, and hostile input fails with a clear error.
#include <catch2/catch.hpp>

#include <string>

#include "gateway/ipsec/vici_packet.h"
#include "tests/must.h"

using namespace nanbyo::ipsec;
using nanbyo::testing::must;

namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

std::string key_value(const std::string& name, const std::string& value) {
  return bytes({3, static_cast<int>(name.size())}) + name +
         bytes({static_cast<int>(value.size() >> 8), static_cast<int>(value.size() & 0xff)}) +
         value;
}

std::string parse_error(const std::string& body) {
  auto parsed = parse_message(body);
  REQUIRE_FALSE(parsed);
  return parsed.error().message;
}

}  // namespace

TEST_CASE("S-10 a version request encodes to the bytes charon expects", "[vici]") {
  ViciPacket request{ViciPacketType::CmdRequest, "version", {}};
  CHECK(must(encode_packet(request)) == bytes({0, 0, 0, 9, 0, 7}) + "version");
}

TEST_CASE("S-10 sections, key values and lists round-trip in wire order", "[vici]") {
  ViciSection message;
  ViciSection& conn = message.add_section("nanbyo-ipsec");
  conn.add("version", "2");
  conn.add_list("proposals", {"aes256gcm16-ecp256", "aes128gcm16-ecp256"});
  conn.add_section("children").add_section("service").add("dpd_action", "clear");
  message.add("up", "yes");

  const std::string encoded = must(encode_message(message));
  const ViciSection parsed = must(parse_message(encoded));
  CHECK(must(encode_message(parsed)) == encoded);
  CHECK(parsed.get("up") == "yes");
  const ViciSection* c = parsed.section("nanbyo-ipsec");
  REQUIRE(c);
  CHECK(c->get("version") == "2");
  REQUIRE(c->list("proposals"));
  CHECK(c->list("proposals")->size() == 2);
  CHECK(c->section("children")->section("service")->get("dpd_action") == "clear");
  CHECK(c->value("proposals") == nullptr);  // a list is not a value
}

TEST_CASE("S-10 an event packet carries its name and message", "[vici]") {
  const std::string body = bytes({7, 10}) + "ike-updown" + key_value("up", "yes");
  const ViciPacket packet = must(parse_packet(body));
  CHECK(packet.type == ViciPacketType::Event);
  CHECK(packet.name == "ike-updown");
  CHECK(packet.message.get("up") == "yes");
  CHECK(must(parse_packet(bytes({5}))).type == ViciPacketType::EventConfirm);
}

TEST_CASE("S-10 malformed messages fail with the offset and the reason", "[vici]") {
  CHECK(parse_error(bytes({1, 3}) + "abc").find("section not closed") != std::string::npos);
  CHECK(parse_error(bytes({2})).find("section end without a section") != std::string::npos);
  CHECK(parse_error(bytes({3, 5, 'a'})).find("truncated name") != std::string::npos);
  CHECK(parse_error(bytes({3, 1, 'a', 0, 9, 'x'})).find("truncated value") != std::string::npos);
  CHECK(parse_error(bytes({5, 0, 0})).find("outside a list") != std::string::npos);
  CHECK(parse_error(bytes({4, 1, 'l', 3, 1, 'k', 0, 0, 6})).find("only list items") !=
        std::string::npos);
  CHECK(parse_error(bytes({4, 1, 'l', 5, 0, 0})).find("list not closed") != std::string::npos);
  CHECK(parse_error(bytes({9})).find("unknown element type 9") != std::string::npos);
  CHECK(parse_error(bytes({3, 1, 0x07, 0, 0})).find("not printable") != std::string::npos);
  CHECK(parse_error(bytes({3, 0, 0, 0})).find("name empty") != std::string::npos);
  CHECK(parse_error(key_value("k", "1") + key_value("k", "2")).find("duplicate name \"k\"") !=
        std::string::npos);
  CHECK(parse_error(key_value("k", "1") + bytes({7})).find("at byte 6") != std::string::npos);
}

TEST_CASE("S-10 nesting and size limits hold", "[vici]") {
  std::string deep;
  for (std::size_t i = 0; i <= kMaxViciDepth; ++i) deep += bytes({1, 1, 's'});
  CHECK(parse_error(deep).find("nested too deep") != std::string::npos);

  CHECK(parse_length(bytes({0, 8, 0, 0})).value() == 512 * 1024);
  CHECK_FALSE(parse_length(bytes({0, 8, 0, 1})));
  CHECK_FALSE(parse_length(bytes({0, 0, 0, 0})));
  CHECK_FALSE(parse_message(std::string(kMaxViciBody + 1, '\x02')));

  ViciSection big;
  for (int i = 0; i < 9; ++i) big.add("v" + std::to_string(i), std::string(60'000, 'x'));
  CHECK_FALSE(encode_message(big));
  ViciSection long_value;
  long_value.add("v", std::string(70'000, 'x'));
  CHECK_FALSE(encode_message(long_value));
  ViciSection bad_name;
  bad_name.add("", "x");
  CHECK_FALSE(encode_message(bad_name));
}

TEST_CASE("S-10 packets with unknown types or broken names are refused", "[vici]") {
  CHECK_FALSE(parse_packet(bytes({8})));
  CHECK_FALSE(parse_packet(""));
  CHECK_FALSE(parse_packet(bytes({7})));
  CHECK_FALSE(parse_packet(bytes({7, 4}) + "ab"));
  CHECK_FALSE(parse_packet(bytes({0, 0})));
  CHECK_FALSE(encode_packet(ViciPacket{ViciPacketType::Event, "", {}}));
}

TEST_CASE("S-10 wiping a message zeroes every value it holds", "[vici]") {
  ViciSection message;
  message.add("data", "-----BEGIN PRIVATE KEY-----");
  message.add_list("l", {"a", "bc"});
  message.add_section("s").add("k", "secret");
  message.wipe();
  CHECK(*message.value("data") == std::string(27, '\0'));
  CHECK(*message.list("l") == std::vector<std::string>{std::string(1, '\0'), std::string(2, '\0')});
  CHECK(message.section("s")->get("k") == std::string(6, '\0'));
}
