// Hex and Base64 text forms of binary data.
#pragma once

#include <string>
#include <string_view>

namespace nanbyo {

// The value of one hex digit (any case), or -1: for every hex and %XX decoder.
inline int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string to_hex(std::string_view bytes);  // lower case
// Decodes hex (any case, ':' separators allowed); returns false on any other character.
bool from_hex(std::string_view hex, std::string& out);

std::string to_base64(std::string_view bytes);  // standard alphabet, padded, one line
// Strict: rejects characters outside the alphabet and bad padding.
bool from_base64(std::string_view text, std::string& out);

}  // namespace nanbyo
