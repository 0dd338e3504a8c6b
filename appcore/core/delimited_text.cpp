#include "appcore/core/delimited_text.h"

#include "appcore/core/errors.h"

namespace nanbyo::appcore {
namespace {

char detect_delimiter(std::string_view text) {
  std::size_t commas = 0, tabs = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    if (c == ',') ++commas;
    if (c == '\t') ++tabs;
  }
  return tabs > 0 && tabs >= commas ? '\t' : ',';
}

Error line_error(std::size_t line, const std::string& what) {
  return fail(Errc::InvalidInput, "line " + std::to_string(line) + ": " + what);
}

}  // namespace

Result<DelimitedTable> parse_delimited(std::string_view text) {
  DelimitedTable table;
  table.delimiter = detect_delimiter(text);
  const char d = table.delimiter;
  std::size_t i = 0, line = 1;
  const std::size_t n = text.size();
  while (i < n) {
    DelimitedRecord rec;
    rec.line = line;
    std::string field;
    bool record_done = false;
    while (!record_done) {
      field.clear();
      if (i < n && text[i] == '"') {
        ++i;
        for (;;) {
          if (i >= n) return line_error(rec.line, "a quoted field is not closed");
          char c = text[i++];
          if (c == '"') {
            if (i < n && text[i] == '"') {
              field.push_back('"');
              ++i;
              continue;
            }
            break;
          }
          if (c == '\n') ++line;
          field.push_back(c);
          if (field.size() > kMaxFieldBytes) return line_error(rec.line, "a field is too long");
        }
        // Excel never writes text after a closing quote; keep it rather than guess.
        while (i < n && text[i] != d && text[i] != '\n' && text[i] != '\r')
          field.push_back(text[i++]);
      } else {
        while (i < n && text[i] != d && text[i] != '\n' && text[i] != '\r')
          field.push_back(text[i++]);
      }
      if (field.size() > kMaxFieldBytes) return line_error(rec.line, "a field is too long");
      rec.fields.push_back(field);
      if (rec.fields.size() > kMaxFields) {
        return line_error(rec.line, "more than " + std::to_string(kMaxFields) + " columns");
      }
      if (i < n && text[i] == d) {
        ++i;
        continue;
      }
      // End of record: CRLF, LF, CR or end of text.
      if (i < n && text[i] == '\r') ++i;
      if (i < n && text[i] == '\n') ++i;
      ++line;
      record_done = true;
    }
    bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
    if (!blank) table.records.push_back(std::move(rec));
  }
  return table;
}

}  // namespace nanbyo::appcore
