#include "gateway/ipsec/vici_packet.h"

namespace nanbyo::ipsec {

bool is_named(ViciPacketType type) {
  return type == ViciPacketType::CmdRequest || type == ViciPacketType::EventRegister ||
         type == ViciPacketType::EventUnregister || type == ViciPacketType::Event;
}

const char* to_string(ViciPacketType type) {
  switch (type) {
    case ViciPacketType::CmdRequest:
      return "CMD_REQUEST";
    case ViciPacketType::CmdResponse:
      return "CMD_RESPONSE";
    case ViciPacketType::CmdUnknown:
      return "CMD_UNKNOWN";
    case ViciPacketType::EventRegister:
      return "EVENT_REGISTER";
    case ViciPacketType::EventUnregister:
      return "EVENT_UNREGISTER";
    case ViciPacketType::EventConfirm:
      return "EVENT_CONFIRM";
    case ViciPacketType::EventUnknown:
      return "EVENT_UNKNOWN";
    case ViciPacketType::Event:
      return "EVENT";
  }
  return "?";
}

Result<std::size_t> parse_length(std::string_view header) {
  if (header.size() != kViciLengthBytes) return fail("VICI: packet header is not 4 bytes");
  std::size_t length = 0;
  for (char c : header) length = (length << 8) | static_cast<std::uint8_t>(c);
  if (length == 0) return fail("VICI: empty packet");
  if (length > kMaxViciBody) {
    return fail("VICI: packet of " + std::to_string(length) + " bytes, more than 512 KiB");
  }
  return length;
}

Result<ViciPacket> parse_packet(std::string_view body) {
  if (body.empty()) return fail("VICI: empty packet");
  if (body.size() > kMaxViciBody) return fail("VICI: packet larger than 512 KiB");
  const auto raw = static_cast<std::uint8_t>(body[0]);
  if (raw > static_cast<std::uint8_t>(ViciPacketType::Event)) {
    return fail("VICI: unknown packet type " + std::to_string(raw));
  }
  ViciPacket packet;
  packet.type = static_cast<ViciPacketType>(raw);
  std::size_t at = 1;
  if (is_named(packet.type)) {
    if (body.size() < 2) return fail("VICI: truncated packet name");
    const std::size_t length = static_cast<std::uint8_t>(body[1]);
    if (length == 0 || body.size() - 2 < length) return fail("VICI: truncated packet name");
    packet.name = std::string(body.substr(2, length));
    for (char c : packet.name) {
      if (c < 0x21 || c > 0x7e) return fail("VICI: packet name not printable ASCII");
    }
    at = 2 + length;
  }
  NANBYO_TRY(message, parse_message(body.substr(at)));
  packet.message = std::move(message);
  return packet;
}

Result<std::string> encode_packet(const ViciPacket& packet) {
  std::string body(1, static_cast<char>(packet.type));
  if (is_named(packet.type)) {
    if (packet.name.empty() || packet.name.size() > 255) {
      return fail("VICI: packet name must be 1 to 255 bytes");
    }
    body.push_back(static_cast<char>(packet.name.size()));
    body += packet.name;
  }
  NANBYO_TRY(message, encode_message(packet.message));
  body += message;
  if (body.size() > kMaxViciBody) return fail("VICI: packet larger than 512 KiB");
  std::string out(kViciLengthBytes, '\0');
  for (std::size_t i = 0; i < kViciLengthBytes; ++i) {
    out[i] = static_cast<char>((body.size() >> (8 * (kViciLengthBytes - 1 - i))) & 0xff);
  }
  return out + body;
}

}  // namespace nanbyo::ipsec
