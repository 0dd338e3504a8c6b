// Hex and Base64 text forms of binary data.
#pragma once

#include <string>
#include <string_view>

namespace nanbyo {

std::string to_hex(std::string_view bytes);  // lower case
// Decodes hex (any case, ':' separators allowed); returns false on any other character.
bool from_hex(std::string_view hex, std::string& out);

std::string to_base64(std::string_view bytes);  // standard alphabet, padded, one line
// Strict: rejects characters outside the alphabet and bad padding.
bool from_base64(std::string_view text, std::string& out);

}  // namespace nanbyo
