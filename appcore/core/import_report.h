// The per-row result of a bulk registration (ID-2): every row gets one.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nanbyo::appcore {

enum class RowStatus { Issued, DesignationAdded, AlreadyRegistered, Invalid };
// "issued", "designation-added", "already-registered", "invalid"
std::string_view to_string(RowStatus status);

struct FieldError {
  std::size_t line = 0;  // 1-based line of the file (the header is line 1)
  std::string column;    // the header's Japanese column name, "" for the whole row
  std::string reason;    // English, e.g. "must be 10 digits"
};

struct ImportRow {
  std::size_t line = 0;
  RowStatus status = RowStatus::Invalid;
  std::string user_id;  // issued, designation added or already registered
  std::string designation_id;
  std::string initial_password;  // issued only; shown once
  std::string doctor_name;       // for the notices of the issued rows
  std::vector<FieldError> errors;
  std::vector<FieldError> warnings;  // stored anyway, e.g. a 医療機関番号 check digit
};

struct ImportReport {
  std::string encoding;  // "UTF-8" or "CP932"
  char delimiter = ',';  // ',' or '\t'
  std::size_t issued = 0, designation_added = 0, already_registered = 0, invalid = 0;
  std::vector<ImportRow> rows;
};

// The report as CSV (UTF-8 with BOM, CRLF) for download: 行, 結果, ID, 初期パスワード, 氏名,
// エラー.
std::string report_csv(const ImportReport& report);

}  // namespace nanbyo::appcore
