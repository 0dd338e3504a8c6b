// The CSTP parser yields the same frames however TLS chunks the stream, names every error
// precisely and stays failed after one.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "gateway/vpn/cstp_frame.h"

using namespace nanbyo::vpn;
using Bytes = std::vector<std::uint8_t>;

namespace {

struct Seen {
  CstpType type;
  Bytes payload;
  bool operator==(const Seen&) const = default;
};

Bytes bytes(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

Bytes concat(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// Feeds `chunks` in order; returns the frames seen, stops at an error.
std::vector<Seen> run(CstpFrameParser& parser, const std::vector<Bytes>& chunks) {
  std::vector<Seen> seen;
  for (const Bytes& chunk : chunks) {
    std::span<const std::uint8_t> rest(chunk);
    while (!rest.empty()) {
      auto step = parser.feed(rest);
      rest = rest.subspan(step.consumed);
      if (step.status == CstpFrameParser::Status::Failed) return seen;
      if (step.status == CstpFrameParser::Status::Frame) {
        const auto& payload = parser.frame().payload;
        seen.push_back({parser.frame().type, Bytes(payload.begin(), payload.end())});
      }
      if (step.status == CstpFrameParser::Status::NeedMore) REQUIRE(rest.empty());
    }
  }
  return seen;
}

const Bytes kPacket(60, 0x45);
const Bytes kReason = concat({{0xb0}, bytes("Client received SIGINT")});

std::vector<Seen> expected_frames() {
  return {{CstpType::Data, kPacket},         {CstpType::DpdRequest, bytes("probe")},
          {CstpType::DpdResponse, {}},       {CstpType::Keepalive, {}},
          {CstpType::Compressed, {1, 2, 3}}, {CstpType::Terminate, {}},
          {CstpType::Disconnect, kReason}};
}

Bytes stream_of(const std::vector<Seen>& frames) {
  std::vector<Bytes> parts;
  for (const Seen& f : frames) parts.push_back(encode_frame(f.type, f.payload));
  return concat(parts);
}

const CstpLimits kWithCompression{1400, true};

}  // namespace

TEST_CASE("all frame types parse when the stream is split at every byte boundary", "[cstp]") {
  auto frames = expected_frames();
  Bytes stream = stream_of(frames);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    INFO("cut at " << cut);
    CstpFrameParser parser(kWithCompression);
    Bytes head(stream.begin(), stream.begin() + cut), tail(stream.begin() + cut, stream.end());
    CHECK(run(parser, {head, tail}) == frames);
    CHECK_FALSE(parser.failed());
  }
}

TEST_CASE("frames parse one byte at a time and in random chunks", "[cstp]") {
  auto frames = expected_frames();
  Bytes stream = stream_of(frames);
  std::vector<Bytes> singles;
  for (auto b : stream) singles.push_back({b});
  CstpFrameParser one_by_one(kWithCompression);
  CHECK(run(one_by_one, singles) == frames);

  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<Bytes> chunks;
    for (std::size_t at = 0; at < stream.size();) {
      std::size_t n = std::min<std::size_t>(random() % 40 + 1, stream.size() - at);
      chunks.emplace_back(stream.begin() + at, stream.begin() + at + n);
      at += n;
    }
    CstpFrameParser parser(kWithCompression);
    CHECK(run(parser, chunks) == frames);
  }
}

TEST_CASE("a payload wholly inside the input is a view of it, not a copy", "[cstp]") {
  Bytes frame = encode_frame(CstpType::Data, kPacket);
  CstpFrameParser parser({1400});
  auto step = parser.feed(frame);
  REQUIRE(step.status == CstpFrameParser::Status::Frame);
  CHECK(step.consumed == frame.size());
  CHECK(parser.frame().payload.data() == frame.data() + kCstpHeaderSize);

  // Split inside the payload: assembled in the parser's own buffer.
  CstpFrameParser split({1400});
  std::span<const std::uint8_t> all(frame);
  CHECK(split.feed(all.first(20)).status == CstpFrameParser::Status::NeedMore);
  REQUIRE(split.feed(all.subspan(20)).status == CstpFrameParser::Status::Frame);
  CHECK(Bytes(split.frame().payload.begin(), split.frame().payload.end()) == kPacket);
}

TEST_CASE("every malformed header gets its own error and message", "[cstp]") {
  struct Case {
    Bytes header;
    CstpLimits limits;
    CstpError error;
    std::string message;
  };
  std::vector<Case> cases = {
      {bytes("GET / HT"),
       {1400},
       CstpError::BadMagic,
       "bad CSTP magic 47 45 54 20 (expected 53 54 46 01)"},
      {{'S', 'T', 'F', 0x02, 0, 1, 0, 0},
       {1400},
       CstpError::BadMagic,
       "bad CSTP magic 53 54 46 02 (expected 53 54 46 01)"},
      {{'S', 'T', 'F', 1, 0, 1, 0x00, 0x01},
       {1400},
       CstpError::ReservedByte,
       "CSTP header byte 7 is 0x01 (must be 0)"},
      {{'S', 'T', 'F', 1, 0, 0, 0x06, 0},
       {1400},
       CstpError::UnknownType,
       "unknown CSTP packet type 0x06"},
      {{'S', 'T', 'F', 1, 0xff, 0xff, 0x00, 0},
       {1400},
       CstpError::OverHardCap,
       "CSTP payload of 65535 bytes is over the hard cap of 16384"},
      {{'S', 'T', 'F', 1, 0x05, 0x79, 0x00, 0},
       {1400},
       CstpError::OverMtu,
       "CSTP payload of 1401 bytes is over the negotiated MTU of 1400"},
      {{'S', 'T', 'F', 1, 0, 4, 0x08, 0},
       {1400},
       CstpError::CompressionNotNegotiated,
       "compressed CSTP packet but no compression was negotiated"},
      {{'S', 'T', 'F', 1, 0, 0, 0x00, 0}, {1400}, CstpError::EmptyData, "empty CSTP data packet"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    CstpFrameParser parser(c.limits);
    // Byte by byte: the error comes with the eighth byte, not before.
    for (std::size_t i = 0; i < c.header.size(); ++i) {
      auto step = parser.feed(std::span<const std::uint8_t>(&c.header[i], 1));
      auto expected = i + 1 < c.header.size() ? CstpFrameParser::Status::NeedMore
                                              : CstpFrameParser::Status::Failed;
      CHECK(step.status == expected);
    }
    CHECK(parser.error() == c.error);
    CHECK(parser.error_message() == c.message);
  }
}

TEST_CASE("after an error the parser stays failed and consumes nothing", "[cstp]") {
  CstpFrameParser parser({1400});
  Bytes bad = bytes("HTTP/1.1");
  CHECK(parser.feed(bad).status == CstpFrameParser::Status::Failed);
  Bytes good = keepalive_frame();
  auto step = parser.feed(good);
  CHECK(step.status == CstpFrameParser::Status::Failed);
  CHECK(step.consumed == 0);
  CHECK(parser.error() == CstpError::BadMagic);
}

TEST_CASE("the MTU limit is clamped to the hard cap and allows exactly max_payload", "[cstp]") {
  CstpFrameParser huge({100000});
  CHECK(huge.max_payload() == kCstpHardPayloadCap);
  CstpFrameParser parser({100});
  CHECK(run(parser, {encode_frame(CstpType::Data, Bytes(100, 1))}).size() == 1);
  CHECK(run(parser, {encode_frame(CstpType::Data, Bytes(101, 1))}).empty());
  CHECK(parser.error() == CstpError::OverMtu);
}

TEST_CASE("a DPD request is answered with a DPD response echoing its payload", "[cstp]") {
  Bytes request = encode_frame(CstpType::DpdRequest, bytes("mtu-probe-0123"));
  CstpFrameParser parser({1400});
  REQUIRE(parser.feed(request).status == CstpFrameParser::Status::Frame);
  Bytes response = dpd_response_for(parser.frame());
  CHECK(response == concat({{'S', 'T', 'F', 1, 0, 14, 0x04, 0}, bytes("mtu-probe-0123")}));
  // openconnect's own DPD carries no payload.
  Bytes empty_request = dpd_request_frame();
  CHECK(empty_request == Bytes{'S', 'T', 'F', 1, 0, 0, 0x03, 0});
  CstpFrameParser p2({1400});
  REQUIRE(p2.feed(empty_request).status == CstpFrameParser::Status::Frame);
  CHECK(dpd_response_for(p2.frame()) == Bytes{'S', 'T', 'F', 1, 0, 0, 0x04, 0});
}

TEST_CASE("the server's control frames have their fixed wire form", "[cstp]") {
  CHECK(keepalive_frame() == Bytes{'S', 'T', 'F', 1, 0, 0, 0x07, 0});
  CHECK(terminate_frame() == Bytes{'S', 'T', 'F', 1, 0, 0, 0x09, 0});
  CHECK(disconnect_frame("revoked") ==
        concat({{'S', 'T', 'F', 1, 0, 8, 0x05, 0, 0xb0}, bytes("revoked")}));
  auto header = encode_header(CstpType::Data, 0x1234);
  CHECK(Bytes(header.begin(), header.end()) == Bytes{'S', 'T', 'F', 1, 0x12, 0x34, 0, 0});
  CHECK(disconnect_frame(std::string(500, 'x')).size() == kCstpHeaderSize + 1 + kMaxDisconnectText);
  CHECK_THROWS_AS(encode_frame(CstpType::Data, Bytes(70000, 0)), std::length_error);
}

TEST_CASE("a client's disconnect reason is parsed safely for the audit log", "[cstp]") {
  auto reason = parse_disconnect(kReason);
  REQUIRE(reason.code.has_value());
  CHECK(*reason.code == 0xb0);
  CHECK(reason.text == "Client received SIGINT");

  auto hostile = parse_disconnect(concat({{0xb0}, bytes("bye\r\n\x1b[31m"), {0xff, 0}}));
  CHECK(hostile.text == "bye...[31m.");
  CHECK(parse_disconnect(concat({{0xb0}, Bytes(300, 'a')})).text.size() == kMaxDisconnectText);
  auto empty = parse_disconnect({});
  CHECK_FALSE(empty.code.has_value());
  CHECK(empty.text.empty());
  CHECK(to_string(CstpType::DpdRequest) == "dpd-request");
}
