// The fields of a designated doctor: their Japanese column names in upload
// files (ID-2), their English keys in API errors (ID-1), and the normalisation
// and checks shared by both (docs/appcore-data.md "CSV columns").
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "appcore/core/import_report.h"
#include "appcore/core/model.h"

namespace nanbyo::appcore {

enum class DoctorField {
  Name,
  Kana,
  RegistrationNumber,
  Kind,
  HospitalNumber,
  HospitalName,
  HospitalAddress,
  Department,
  DesignatedOn,
  ExpiresOn,
  DoctorNumber,
};
inline constexpr std::size_t kDoctorFieldCount = 11;

struct DoctorFieldInfo {
  DoctorField field;
  std::string_view column;  // header in upload files, e.g. "医籍登録番号"
  std::string_view key;     // API key, e.g. "registration_number"
  bool required;
};
const std::array<DoctorFieldInfo, kDoctorFieldCount>& doctor_fields();
std::optional<DoctorField> doctor_field_by_column(std::string_view column);

// Trims (ASCII and ideographic spaces), folds number and date fields by NFKC,
// writes dates as YYYY-MM-DD, strips leading zeros of the 医籍登録番号 (which
// must be positive), folds 氏名カナ to full-width katakana (unicode_text.h),
// then checks every field; 指定有効期限 must be after 指定年月日. `kind_text` is the 指定医種別
// text of a file row (empty for ID-1, where `d.kind` is already set).
// Errors name the column (Japanese) and give an English reason.
std::vector<FieldError> normalize_doctor(DoctorInput& d, std::string_view kind_text,
                                         bool kind_from_text);

std::optional<Role> doctor_kind_from_text(std::string_view text);  // "難病指定医", ...
std::string_view doctor_kind_text(Role kind);

// The 検証番号 (last digit) of a 医療機関番号 (10 digits) matches the other nine.
bool hospital_check_digit_ok(std::string_view number);

// Removes ASCII and ideographic (U+3000) spaces at both ends.
std::string trim(std::string_view s);
// Parses YYYY-MM-DD or YYYY/M/D (after folding) into YYYY-MM-DD; nullopt if invalid.
std::optional<std::string> normalize_date(std::string_view text);

}  // namespace nanbyo::appcore
