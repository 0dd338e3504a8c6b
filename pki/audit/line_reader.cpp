#include "pki/audit/line_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "pki/audit/audit_record.h"

namespace nanbyo::audit {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

}  // namespace

LineReader::Status LineReader::next(std::string& line) {
  for (;;) {
    std::size_t nl = buf_.find('\n', pos_);
    if (nl != std::string::npos) {
      line.assign(buf_, pos_, nl - pos_);
      pos_ = nl + 1;
      return Status::kLine;
    }
    if (buf_.size() - pos_ > kMaxLineBytes) return Status::kTooLong;
    if (eof_) {
      if (pos_ == buf_.size()) return Status::kEnd;
      line.assign(buf_, pos_);
      pos_ = buf_.size();
      return Status::kUnterminated;
    }
    buf_.erase(0, pos_);
    pos_ = 0;
    std::size_t old = buf_.size();
    buf_.resize(old + kChunk);
    ssize_t n;
    do {
      n = ::read(fd_.get(), buf_.data() + old, kChunk);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return Status::kReadError;
    buf_.resize(old + static_cast<std::size_t>(n));
    eof_ = n == 0;
  }
}

Result<LastLine> read_last_line(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail(std::string("cannot stat: ") + std::strerror(errno));
  auto size = static_cast<std::size_t>(st.st_size);
  if (size == 0) return LastLine{};

  // The last line plus its '\n' and the '\n' that ends the line before it.
  std::size_t window = std::min(size, kMaxLineBytes + 2);
  std::string tail(window, '\0');
  std::size_t got = 0;
  while (got < window) {
    ssize_t n =
        ::pread(fd, tail.data() + got, window - got, static_cast<off_t>(size - window + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::string("cannot read: ") + std::strerror(errno));
    if (n == 0) return fail("the file shrank while it was read");
    got += static_cast<std::size_t>(n);
  }

  LastLine last;
  last.present = true;
  last.terminated = tail.back() == '\n';
  if (last.terminated) tail.pop_back();
  std::size_t nl = tail.rfind('\n');
  if (nl == std::string::npos && window < size) {
    return fail("the last line is longer than " + std::to_string(kMaxLineBytes) + " bytes");
  }
  last.text = nl == std::string::npos ? tail : tail.substr(nl + 1);
  return last;
}

}  // namespace nanbyo::audit
