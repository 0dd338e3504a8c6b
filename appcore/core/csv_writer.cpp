#include "appcore/core/csv_writer.h"

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

}  // namespace nanbyo::appcore
