// Reading an audit file line by line with a bound on the line length, and
// reading only its last line (to continue the chain without a full scan).
#pragma once

#include <string>

#include "pki/audit/unique_fd.h"
#include "pki/result.h"

namespace nanbyo::audit {

class LineReader {
 public:
  enum class Status {
    kLine,          // a complete line, without its '\n'
    kUnterminated,  // the file ends in a line with no '\n' (cut short)
    kTooLong,       // a line longer than kMaxLineBytes
    kEnd,
    kReadError,
  };

  explicit LineReader(UniqueFd fd) : fd_(std::move(fd)) {}
  Status next(std::string& line);

 private:
  UniqueFd fd_;
  std::string buf_;
  std::size_t pos_ = 0;
  bool eof_ = false;
};

struct LastLine {
  bool present = false;  // false for an empty file
  std::string text;      // without the '\n'
  bool terminated = true;
};

// The last line of the file open on `fd` (read with pread; the offset is untouched).
// Fails if the file cannot be read or the line is longer than kMaxLineBytes.
Result<LastLine> read_last_line(int fd);

}  // namespace nanbyo::audit
