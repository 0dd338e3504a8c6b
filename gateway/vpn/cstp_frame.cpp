#include "gateway/vpn/cstp_frame.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace nanbyo::vpn {
namespace {

constexpr std::array<std::uint8_t, 4> kMagic = {'S', 'T', 'F', 0x01};

std::optional<CstpType> known_type(std::uint8_t value) {
  switch (value) {
    case 0x00:
    case 0x03:
    case 0x04:
    case 0x05:
    case 0x07:
    case 0x08:
    case 0x09:
      return static_cast<CstpType>(value);
    default:
      return std::nullopt;
  }
}

std::string hex_byte(std::uint8_t value) {
  char text[8];
  std::snprintf(text, sizeof text, "%02x", value);
  return text;
}

}  // namespace

std::string_view to_string(CstpType type) {
  switch (type) {
    case CstpType::Data:
      return "data";
    case CstpType::DpdRequest:
      return "dpd-request";
    case CstpType::DpdResponse:
      return "dpd-response";
    case CstpType::Disconnect:
      return "disconnect";
    case CstpType::Keepalive:
      return "keepalive";
    case CstpType::Compressed:
      return "compressed";
    case CstpType::Terminate:
      return "terminate";
  }
  return "unknown";
}

CstpFrameParser::CstpFrameParser(CstpLimits limits)
    : max_payload_(std::min(limits.max_payload, kCstpHardPayloadCap)),
      compression_(limits.compression) {
  buffer_.reserve(max_payload_);
}

CstpFrameParser::Step CstpFrameParser::fail(CstpError error, std::string message,
                                            std::size_t consumed) {
  error_ = error;
  message_ = std::move(message);
  frame_ = {};
  return {Status::Failed, consumed};
}

bool CstpFrameParser::check_header() {
  if (!std::equal(kMagic.begin(), kMagic.end(), header_.begin())) {
    std::string got;
    for (std::size_t i = 0; i < 4; ++i) got += (i ? " " : "") + hex_byte(header_[i]);
    fail(CstpError::BadMagic, "bad CSTP magic " + got + " (expected 53 54 46 01)", 0);
    return false;
  }
  if (header_[7] != 0) {
    fail(CstpError::ReservedByte,
         "CSTP header byte 7 is 0x" + hex_byte(header_[7]) + " (must be 0)", 0);
    return false;
  }
  auto type = known_type(header_[6]);
  if (!type) {
    fail(CstpError::UnknownType, "unknown CSTP packet type 0x" + hex_byte(header_[6]), 0);
    return false;
  }
  type_ = *type;
  payload_size_ = (std::size_t{header_[4]} << 8) | header_[5];
  if (payload_size_ > kCstpHardPayloadCap) {
    fail(CstpError::OverHardCap,
         "CSTP payload of " + std::to_string(payload_size_) + " bytes is over the hard cap of " +
             std::to_string(kCstpHardPayloadCap),
         0);
    return false;
  }
  if (payload_size_ > max_payload_) {
    fail(CstpError::OverMtu,
         "CSTP payload of " + std::to_string(payload_size_) +
             " bytes is over the negotiated MTU of " + std::to_string(max_payload_),
         0);
    return false;
  }
  if (type_ == CstpType::Compressed && !compression_) {
    fail(CstpError::CompressionNotNegotiated,
         "compressed CSTP packet but no compression was negotiated", 0);
    return false;
  }
  if (type_ == CstpType::Data && payload_size_ == 0) {
    fail(CstpError::EmptyData, "empty CSTP data packet", 0);
    return false;
  }
  return true;
}

CstpFrameParser::Step CstpFrameParser::feed(std::span<const std::uint8_t> bytes) {
  if (failed()) return {Status::Failed, 0};
  std::size_t used = 0;
  if (header_size_ < kCstpHeaderSize) {
    std::size_t n = std::min(kCstpHeaderSize - header_size_, bytes.size());
    std::copy_n(bytes.begin(), n, header_.begin() + header_size_);
    header_size_ += n;
    used += n;
    if (header_size_ < kCstpHeaderSize) return {Status::NeedMore, used};
  }
  if (!header_checked_) {
    if (!check_header()) return {Status::Failed, used};
    header_checked_ = true;
    buffer_.clear();
  }
  std::size_t available = bytes.size() - used;
  if (buffer_.empty() && available >= payload_size_) {
    // The whole payload is in this input: hand out a view of it.
    frame_ = {type_, bytes.subspan(used, payload_size_)};
    used += payload_size_;
  } else {
    std::size_t n = std::min(payload_size_ - buffer_.size(), available);
    buffer_.insert(buffer_.end(), bytes.begin() + used, bytes.begin() + used + n);
    used += n;
    if (buffer_.size() < payload_size_) return {Status::NeedMore, used};
    frame_ = {type_, std::span<const std::uint8_t>(buffer_)};
  }
  header_size_ = 0;
  header_checked_ = false;
  return {Status::Frame, used};
}

std::array<std::uint8_t, kCstpHeaderSize> encode_header(CstpType type, std::uint16_t payload_size) {
  return {kMagic[0],
          kMagic[1],
          kMagic[2],
          kMagic[3],
          static_cast<std::uint8_t>(payload_size >> 8),
          static_cast<std::uint8_t>(payload_size & 0xff),
          static_cast<std::uint8_t>(type),
          0x00};
}

std::vector<std::uint8_t> encode_frame(CstpType type, std::span<const std::uint8_t> payload) {
  if (payload.size() > 0xffff) throw std::length_error("CSTP payload over 65535 bytes");
  auto header = encode_header(type, static_cast<std::uint16_t>(payload.size()));
  std::vector<std::uint8_t> out;
  out.reserve(kCstpHeaderSize + payload.size());
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

std::vector<std::uint8_t> dpd_response_for(const CstpFrame& request) {
  return encode_frame(CstpType::DpdResponse, request.payload);
}

std::vector<std::uint8_t> dpd_request_frame() {
  return encode_frame(CstpType::DpdRequest);
}
std::vector<std::uint8_t> keepalive_frame() {
  return encode_frame(CstpType::Keepalive);
}
std::vector<std::uint8_t> terminate_frame() {
  return encode_frame(CstpType::Terminate);
}

std::vector<std::uint8_t> disconnect_frame(std::string_view reason) {
  reason = reason.substr(0, kMaxDisconnectText);
  std::vector<std::uint8_t> payload;
  payload.reserve(1 + reason.size());
  payload.push_back(kDisconnectReasonCode);
  payload.insert(payload.end(), reason.begin(), reason.end());
  return encode_frame(CstpType::Disconnect, payload);
}

DisconnectReason parse_disconnect(std::span<const std::uint8_t> payload) {
  DisconnectReason out;
  if (payload.empty()) return out;
  out.code = payload[0];
  auto text = payload.subspan(1);
  // A C client may send the string's terminating NUL along; it is not part of the reason.
  while (!text.empty() && text.back() == 0) text = text.first(text.size() - 1);
  text = text.first(std::min(text.size(), kMaxDisconnectText));
  for (std::uint8_t c : text) {
    out.text.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '.');
  }
  return out;
}

}  // namespace nanbyo::vpn
