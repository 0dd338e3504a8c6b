// VICI framing: a 4-byte big-endian length, a type, the name of named packets, the message.
// Boost-free like vici_message.h; the Asio client (vici_client.*) reads and writes with it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/ipsec/vici_message.h"
#include "pki/result.h"

namespace nanbyo::ipsec {

enum class ViciPacketType : std::uint8_t {
  CmdRequest = 0,  // named
  CmdResponse = 1,
  CmdUnknown = 2,
  EventRegister = 3,    // named
  EventUnregister = 4,  // named
  EventConfirm = 5,
  EventUnknown = 6,
  Event = 7,  // named
};

bool is_named(ViciPacketType type);
const char* to_string(ViciPacketType type);

struct ViciPacket {
  ViciPacketType type = ViciPacketType::CmdRequest;
  std::string name;     // command or event name for named types, empty otherwise
  ViciSection message;  // empty for the types that carry none
};

inline constexpr std::size_t kViciLengthBytes = 4;

// The body length a 4-byte header announces; an error past kMaxViciBody or for an empty body.
Result<std::size_t> parse_length(std::string_view header);

// One packet body (what follows the length): type, name when named, message.
Result<ViciPacket> parse_packet(std::string_view body);

// The whole packet, length included.
Result<std::string> encode_packet(const ViciPacket& packet);

}  // namespace nanbyo::ipsec
