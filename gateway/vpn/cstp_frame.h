// CSTP framing on the TLS stream of an OpenConnect tunnel (draft-mavrogiannopoulos-openconnect
// section 2.2): 'S' 'T' 'F' 0x01, payload length (16-bit big-endian), type, 0x00, payload.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nanbyo::vpn {

enum class CstpType : std::uint8_t {
  Data = 0x00,
  DpdRequest = 0x03,
  DpdResponse = 0x04,  // echoes the request's payload
  Disconnect = 0x05,   // from the client: 0xb0 and a reason string
  Keepalive = 0x07,
  Compressed = 0x08,  // only after X-CSTP-Content-Encoding, which we never agree to
  Terminate = 0x09,   // server shutting down
};
std::string_view to_string(CstpType type);

inline constexpr std::size_t kCstpHeaderSize = 8;
// Far above any tunnel MTU we negotiate: a frame over it is refused whatever the limits say.
inline constexpr std::size_t kCstpHardPayloadCap = 16384;

struct CstpLimits {
  std::size_t max_payload = 1400;  // the negotiated tunnel MTU (clamped to the hard cap)
  bool compression = false;        // a Content-Encoding was agreed
};

enum class CstpError {
  None,
  BadMagic,
  ReservedByte,
  UnknownType,
  OverHardCap,
  OverMtu,
  CompressionNotNegotiated,
  EmptyData,
};

struct CstpFrame {
  CstpType type = CstpType::Data;
  std::span<const std::uint8_t> payload;  // valid until the next feed() (see there)
};

// Incremental parser for the client-to-server direction. Feed it the bytes read from TLS in
// whatever chunks they come; it stops after each complete frame. Memory: one buffer of
// max_payload bytes reserved at construction; a frame whose payload lies wholly inside one
// feed() input is returned as a view into that input (no copy), otherwise it is assembled in
// the buffer. Either way the payload view lives until the next feed() call, and, in the
// first case, only as long as the caller keeps its input bytes. After an error the parser
// stays failed and consumes nothing more.
class CstpFrameParser {
 public:
  enum class Status { NeedMore, Frame, Failed };
  struct Step {
    Status status;
    std::size_t consumed;  // bytes of the input used; feed the rest again
  };

  explicit CstpFrameParser(CstpLimits limits);

  Step feed(std::span<const std::uint8_t> bytes);

  const CstpFrame& frame() const { return frame_; }  // when feed() said Frame
  bool failed() const { return error_ != CstpError::None; }
  CstpError error() const { return error_; }
  const std::string& error_message() const { return message_; }  // one line, for the audit log
  std::size_t max_payload() const { return max_payload_; }

 private:
  bool check_header();
  Step fail(CstpError error, std::string message, std::size_t consumed);

  std::size_t max_payload_;
  bool compression_;
  std::array<std::uint8_t, kCstpHeaderSize> header_{};
  std::size_t header_size_ = 0;
  bool header_checked_ = false;
  CstpType type_ = CstpType::Data;
  std::size_t payload_size_ = 0;
  std::vector<std::uint8_t> buffer_;
  CstpFrame frame_;
  CstpError error_ = CstpError::None;
  std::string message_;
};

// Encoding, server to client. The header alone serves scatter/gather writes (header buffer
// plus the packet read from TUN, no copy).
std::array<std::uint8_t, kCstpHeaderSize> encode_header(CstpType type, std::uint16_t payload_size);
// Payloads over 65535 bytes cannot be framed: std::length_error (a caller's bug).
std::vector<std::uint8_t> encode_frame(CstpType type, std::span<const std::uint8_t> payload = {});

std::vector<std::uint8_t> dpd_response_for(const CstpFrame& request);  // same payload back
std::vector<std::uint8_t> dpd_request_frame();
std::vector<std::uint8_t> keepalive_frame();
std::vector<std::uint8_t> terminate_frame();

inline constexpr std::uint8_t kDisconnectReasonCode = 0xb0;
inline constexpr std::size_t kMaxDisconnectText = 128;
// 0xb0 then the reason (cut to kMaxDisconnectText bytes); openconnect prints it and stops.
std::vector<std::uint8_t> disconnect_frame(std::string_view reason);

struct DisconnectReason {
  std::optional<std::uint8_t> code;  // absent for an empty payload
  std::string text;                  // printable ASCII; others become '.', cut to 128
};
// A client's DISCONNECT payload, made safe for the audit log.
DisconnectReason parse_disconnect(std::span<const std::uint8_t> payload);

}  // namespace nanbyo::vpn
