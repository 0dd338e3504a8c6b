// Writes CSV as Excel in Japan opens it without asking: UTF-8 with a BOM, CRLF,
// fields quoted when they hold a comma, quote or line break. A field starting
// with = + - @, a tab or a carriage return is prefixed with ' so a spreadsheet never runs
// it as a formula.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nanbyo::appcore {

class CsvWriter {
 public:
  CsvWriter() : out_("\xEF\xBB\xBF") {}
  void row(const std::vector<std::string_view>& fields);
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

}  // namespace nanbyo::appcore
