// The rows of a bulk registration file (ID-2) before storage: the header's
// columns, and each row folded and checked on its own (pure work, done on
// every core before the rows meet the database; app_core_import.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "appcore/core/delimited_text.h"
#include "appcore/core/doctor_fields.h"
#include "appcore/core/errors.h"
#include "appcore/core/key_hierarchy.h"

namespace nanbyo::appcore {

using ColumnMap = std::vector<std::optional<DoctorField>>;  // per file column

// The header row: every name known, none twice, the required ones present.
Result<ColumnMap> map_doctor_header(const DelimitedRecord& header);

struct PreparedRow {
  std::size_t line = 0;
  DoctorInput doctor;  // normalised when `errors` is empty
  std::vector<FieldError> errors;
  std::string registration_index;  // blind index of the 医籍登録番号
  std::string name_key;            // unicode_text.h name_key of 氏名
  bool check_digit_ok = true;      // the 医療機関番号's 検証番号
};

// Folds and checks one record (moving its fields out of `record`).
PreparedRow prepare_doctor_row(DelimitedRecord& record, const ColumnMap& columns,
                               const KeyHierarchy& keys);

// "hospital_name: is required ..." as a FieldError on the 医療機関名称 column.
FieldError field_error_of(std::size_t line, std::string_view text);

// The purpose string of the 医籍登録番号's blind index.
inline constexpr std::string_view kRegistrationPurpose = "registration-number";

}  // namespace nanbyo::appcore
