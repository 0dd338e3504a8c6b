// The bulk registration's result list as CSV (ID-2): one row per file row.
#include "appcore/core/import_report.h"

#include "appcore/core/csv_writer.h"

namespace nanbyo::appcore {

std::string report_csv(const ImportReport& report) {
  CsvWriter w;
  w.row({"行", "結果", "ID", "指定ID", "初期パスワード", "氏名", "エラー", "警告"});
  auto joined = [](const std::vector<FieldError>& list) {
    std::string out;
    for (const auto& e : list) {
      if (!out.empty()) out += " / ";
      out += e.column.empty() ? e.reason : e.column + ": " + e.reason;
    }
    return out;
  };
  for (const auto& r : report.rows) {
    std::string line = std::to_string(r.line);
    w.row({line, to_string(r.status), r.user_id, r.designation_id, r.initial_password,
           r.doctor_name, joined(r.errors), joined(r.warnings)});
  }
  return w.text();
}

}  // namespace nanbyo::appcore
