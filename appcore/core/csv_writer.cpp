#include "appcore/core/csv_writer.h"

#include "appcore/core/import_report.h"

namespace nanbyo::appcore {

void CsvWriter::row(const std::vector<std::string_view>& fields) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out_.push_back(',');
    first = false;
    std::string v;
    if (!f.empty() &&
        (f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@' || f[0] == '\t' || f[0] == '\r'))
      v = "'";
    v += f;
    if (v.find_first_of(",\"\r\n") == std::string::npos) {
      out_ += v;
      continue;
    }
    out_.push_back('"');
    for (char c : v) {
      if (c == '"') out_.push_back('"');
      out_.push_back(c);
    }
    out_.push_back('"');
  }
  out_ += "\r\n";
}

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
