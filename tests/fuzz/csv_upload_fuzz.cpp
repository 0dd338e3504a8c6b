// libFuzzer target: a municipality's CSV/TSV upload (ID-2) as the core reads
// it: encoding detection (UTF-8 / CP932), the RFC 4180 parser, then each row
// as the doctor columns in header order through the field checks (NFKC of
// numbers and dates, 氏名カナ folding, name keys). Any input must be refused
// or parsed within the documented limits; decoded and folded text is UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "appcore/core/delimited_text.h"
#include "appcore/core/doctor_fields.h"
#include "appcore/core/text_decoding.h"
#include "appcore/core/unicode_text.h"

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
    // The row as the eleven doctor columns in the documented order.
    DoctorInput d;
    std::string* slots[] = {&d.name,
                            &d.kana,
                            &d.registration_number,
                            nullptr,
                            &d.hospital_number,
                            &d.hospital_name,
                            &d.hospital_address,
                            &d.department,
                            &d.designated_on,
                            &d.expires_on,
                            &d.doctor_number};
    std::string kind;
    for (std::size_t c = 0; c < record.fields.size() && c < std::size(slots); ++c)
      *(slots[c] ? slots[c] : &kind) = record.fields[c];
    if (normalize_doctor(d, kind, true).empty()) {
      if (!is_valid_utf8(d.kana) || !is_valid_utf8(d.registration_number)) std::abort();
      if (!hospital_check_digit_ok(d.hospital_number) && d.hospital_number.size() != 10)
        std::abort();  // a valid row has a ten-digit number
    }
    if (!is_valid_utf8(name_key(d.name)) && is_valid_utf8(d.name)) std::abort();
  }
  return 0;
}
