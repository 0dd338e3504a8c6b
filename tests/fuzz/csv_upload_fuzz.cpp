// libFuzzer target: a municipality's CSV/TSV upload (ID-2) as the core reads
// it: encoding detection (UTF-8 / CP932) and then the RFC 4180 parser. Any input
// must be refused or parsed within the documented limits; decoded text is UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "appcore/core/delimited_text.h"
#include "appcore/core/text_decoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo::appcore;
  auto text = decode_upload(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!text) return 0;
  if (!is_valid_utf8(text->utf8)) std::abort();
  auto table = parse_delimited(text->utf8);
  if (!table) return 0;
  if (table->delimiter != ',' && table->delimiter != '\t') std::abort();
  std::size_t previous_line = 0;
  for (const auto& record : table->records) {
    if (record.fields.empty() || record.fields.size() > kMaxFields) std::abort();
    if (record.line <= previous_line) std::abort();  // records start on later lines
    previous_line = record.line;
    for (const auto& field : record.fields)
      if (field.size() > kMaxFieldBytes) std::abort();
  }
  return 0;
}
