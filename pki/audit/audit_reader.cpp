#include "pki/audit/audit_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>

#include "pki/audit/line_reader.h"
#include "pki/audit/rotation.h"

namespace nanbyo::audit {
namespace fs = std::filesystem;

namespace {

std::string errno_message() {
  return std::strerror(errno);
}

// Calls `each` with every complete line of `path`; stops at the first bad one.
Result<void> read_lines(
    const fs::path& path,
    const std::function<Result<void>(const std::string&, std::uint64_t)>& each) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail("cannot read audit log " + path.string() + ": " + errno_message());
  LineReader reader(std::move(fd));
  std::string line;
  for (std::uint64_t n = 1;; ++n) {
    switch (reader.next(line)) {
      case LineReader::Status::kEnd:
      case LineReader::Status::kUnterminated:  // a record being written right now
        return {};
      case LineReader::Status::kReadError:
        return fail("cannot read audit log " + path.string() + ": " + errno_message());
      case LineReader::Status::kTooLong:
        return fail("audit log " + path.string() + " line " + std::to_string(n) + ": longer than " +
                    std::to_string(kMaxLineBytes) + " bytes");
      case LineReader::Status::kLine:
        NANBYO_TRY_VOID(each(line, n));
        break;
    }
  }
}

}  // namespace

bool RecordFilter::matches(const AuditRecord& record) const {
  if (since && record.time < *since) return false;
  if (until && record.time >= *until) return false;
  if (!event.empty() && record.event != event) return false;
  if (outcome && record.outcome != *outcome) return false;
  return true;
}

Result<void> read_set(const fs::path& live, const RecordFilter& filter,
                      const RecordVisitor& visit) {
  NANBYO_TRY(files, list_set(live));
  if (files.empty())
    return fail("cannot read audit log " + live.string() + ": " + std::strerror(ENOENT));
  for (const auto& file : files) {
    NANBYO_TRY_VOID(read_lines(file, [&](const std::string& line, std::uint64_t n) -> Result<void> {
      auto record = parse_record_line(line);
      if (!record) {
        return fail("audit log " + file.string() + " line " + std::to_string(n) +
                    ": not a valid record (" + record.error().message + ")");
      }
      if (filter.matches(*record)) visit(line, *record);
      return {};
    }));
  }
  return {};
}

Result<std::vector<std::string>> last_lines(const fs::path& live, std::size_t count) {
  NANBYO_TRY(files, list_set(live));
  std::deque<std::string> kept;
  // From the newest file back, until `count` lines are kept.
  for (auto file = files.rbegin(); file != files.rend() && kept.size() < count; ++file) {
    std::deque<std::string> lines;
    NANBYO_TRY_VOID(read_lines(*file, [&](const std::string& line, std::uint64_t) -> Result<void> {
      lines.push_back(line);
      if (lines.size() > count - kept.size()) lines.pop_front();
      return {};
    }));
    kept.insert(kept.begin(), lines.begin(), lines.end());
  }
  return std::vector<std::string>(kept.begin(), kept.end());
}

Result<LogFollower> LogFollower::open_at_end(const fs::path& live) {
  LogFollower follower(live);
  follower.fd_ = UniqueFd(::open(live.c_str(), O_RDONLY | O_CLOEXEC));
  if (follower.fd_) {
    struct stat st {};
    if (::fstat(follower.fd_.get(), &st) != 0 || ::lseek(follower.fd_.get(), 0, SEEK_END) < 0) {
      return fail("cannot read audit log " + live.string() + ": " + errno_message());
    }
    follower.inode_ = st.st_ino;
  } else if (errno != ENOENT) {
    return fail("cannot read audit log " + live.string() + ": " + errno_message());
  }
  return follower;
}

// Reads the open file to its current end; complete lines go to `out`.
Result<void> LogFollower::drain(std::vector<std::string>& out) {
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd_.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot read audit log " + live_.string() + ": " + errno_message());
    if (n == 0) return {};
    partial_.append(buf, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1) {
      out.push_back(partial_.substr(start, nl - start));
    }
    partial_.erase(0, start);
    if (partial_.size() > kMaxLineBytes) return fail("audit log line longer than allowed");
  }
}

Result<std::vector<std::string>> LogFollower::poll() {
  std::vector<std::string> out;
  if (fd_) NANBYO_TRY_VOID(drain(out));
  struct stat st {};
  if (::stat(live_.c_str(), &st) != 0) return out;  // between a rename and the new file
  if (fd_ && st.st_ino == inode_) return out;
  // Rotated: the old file is complete once the live name points elsewhere.
  if (fd_) NANBYO_TRY_VOID(drain(out));
  partial_.clear();
  fd_ = UniqueFd(::open(live_.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd_) return out;
  struct stat opened {};
  if (::fstat(fd_.get(), &opened) != 0) return fail("cannot stat audit log " + live_.string());
  inode_ = opened.st_ino;
  NANBYO_TRY_VOID(drain(out));
  return out;
}

}  // namespace nanbyo::audit
