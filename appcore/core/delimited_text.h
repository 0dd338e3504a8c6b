// Parser of CSV / TSV text (RFC 4180 quoting, as Excel writes it): records with
// the line they start on. The delimiter is the one (comma or tab) that occurs
// more often outside quotes in the first line (tab on a tie).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pki/result.h"

namespace nanbyo::appcore {

struct DelimitedRecord {
  std::size_t line = 0;  // 1-based physical line where the record starts
  std::vector<std::string> fields;
};

struct DelimitedTable {
  char delimiter = ',';
  std::vector<DelimitedRecord> records;  // blank lines skipped
};

inline constexpr std::size_t kMaxFields = 64;
inline constexpr std::size_t kMaxFieldBytes = 4096;

// Fails on an unterminated quote, a record wider than kMaxFields or a field
// longer than kMaxFieldBytes, naming the line.
Result<DelimitedTable> parse_delimited(std::string_view text);

}  // namespace nanbyo::appcore
