// Decodes an uploaded file to UTF-8 (ID-2): UTF-8 with or without BOM, or
// Shift_JIS as Windows writes it (CP932, through glibc iconv), the two forms
// Excel saves CSV in. Anything else is refused with a reason.
#pragma once

#include <string>
#include <string_view>

#include "pki/result.h"

namespace nanbyo::appcore {

struct DecodedText {
  std::string utf8;
  std::string encoding;  // "UTF-8" or "CP932"
};

Result<DecodedText> decode_upload(std::string_view bytes);
bool is_valid_utf8(std::string_view text);

}  // namespace nanbyo::appcore
