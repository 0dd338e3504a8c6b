#include "pki/audit/audit_log.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "pki/audit/line_reader.h"
#include "pki/errno_text.h"

namespace nanbyo::audit {
namespace fs = std::filesystem;

namespace {

// Creates the missing directories of `dir` with mode 0750 (before the umask).
Result<void> make_dirs(const fs::path& dir) {
  std::error_code ec;
  if (dir.empty() || fs::is_directory(dir, ec)) return {};
  NANBYO_TRY_VOID(make_dirs(dir.parent_path()));
  if (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) {
    return fail("cannot create directory " + dir.string() + ": " + errno_text());
  }
  return {};
}

// Opens the log for reading and appending; a new file gets mode 0640 whatever
// the umask, and its directory entry is synced so a crash cannot lose the file.
Result<UniqueFd> open_log_file(const fs::path& path) {
  constexpr int kFlags = O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW;
  UniqueFd fd(::open(path.c_str(), kFlags | O_CREAT | O_EXCL, 0640));
  if (fd) {
    if (::fchmod(fd.get(), 0640) != 0) {
      return fail("cannot set permissions on " + path.string() + ": " + errno_text());
    }
    fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    UniqueFd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir_fd || ::fsync(dir_fd.get()) != 0) {
      return fail("cannot sync directory " + dir.string() + ": " + errno_text());
    }
  } else if (errno == EEXIST) {
    fd = UniqueFd(::open(path.c_str(), kFlags));
  }
  if (!fd) return fail("cannot open audit log " + path.string() + ": " + errno_text());

  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return fail("audit log " + path.string() + " is not a regular file");
  }
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return fail("audit log " + path.string() +
                  " is already open for writing elsewhere; each process writes its own file");
    }
    return fail("cannot lock audit log " + path.string() + ": " + errno_text());
  }
  return fd;
}

Result<void> write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(errno_text());
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<AuditLog>> AuditLog::open(const fs::path& path, const Clock& clock) {
  NANBYO_TRY_VOID(make_dirs(path.parent_path()));
  NANBYO_TRY(fd, open_log_file(path));

  const std::string refusing =
      "; refusing to continue its chain. Verify the file (nanbyoctl audit "
      "verify), then move it aside to start a new log";
  auto last = read_last_line(fd.get());
  if (!last) return fail("audit log " + path.string() + ": " + last.error().message + refusing);
  if (!last->terminated) {
    return fail("audit log " + path.string() +
                ": the last line is truncated (no trailing newline)" + refusing);
  }
  if (!last->present) {
    return std::unique_ptr<AuditLog>(
        new AuditLog(path, clock, std::move(fd), 0, std::string(kGenesisHash)));
  }
  auto record = parse_record_line(last->text);
  if (!record) {
    return fail("audit log " + path.string() + ": the last line is not a valid record (" +
                record.error().message + ")" + refusing);
  }
  if (!hash_matches(last->text, *record)) {
    return fail("audit log " + path.string() + ": the last record was edited (hash mismatch)" +
                refusing);
  }
  return std::unique_ptr<AuditLog>(
      new AuditLog(path, clock, std::move(fd), record->seq, record->hash));
}

AuditLog::AuditLog(fs::path path, const Clock& clock, UniqueFd fd, std::uint64_t last_seq,
                   std::string last_hash)
    : path_(std::move(path)),
      clock_(clock),
      fd_(std::move(fd)),
      last_seq_(last_seq),
      last_hash_(std::move(last_hash)) {}

Result<AuditRecord> AuditLog::append(const AuditEvent& event) {
  NANBYO_TRY(records, append_batch({&event, 1}));
  return std::move(records.front());
}

Result<std::vector<AuditRecord>> AuditLog::append_batch(std::span<const AuditEvent> events) {
  std::lock_guard lock(mutex_);
  if (unusable_) {
    return fail("audit log " + path_.string() +
                " is unusable after a failed write; reopen it to continue from what is on disk");
  }
  std::vector<AuditRecord> records;
  std::string lines;
  std::uint64_t seq = last_seq_;
  std::string prev = last_hash_;
  const TimePoint now = clock_.now();
  for (const auto& event : events) {
    NANBYO_TRY(sealed, seal_record(seq + 1, now, event, prev));
    lines += sealed.line;
    lines += '\n';
    seq = sealed.record.seq;
    prev = sealed.record.hash;
    records.push_back(std::move(sealed.record));
  }

  struct stat st {};
  if (::fstat(fd_.get(), &st) != 0) {
    return fail("cannot append to audit log " + path_.string() + ": " + errno_text());
  }
  if (auto written = write_all(fd_.get(), lines); !written) {
    // Cut a partial line off again so the chain on disk stays whole.
    if (::ftruncate(fd_.get(), st.st_size) != 0) unusable_ = true;
    return fail("cannot append to audit log " + path_.string() + ": " + written.error().message);
  }
  // One sync for the whole batch: under load the writer groups records.
  if (::fdatasync(fd_.get()) != 0) {
    // After a failed sync the kernel may have dropped the data: the chain on
    // disk is unknown, so stop rather than chain on a record that may be lost.
    unusable_ = true;
    return fail("cannot sync audit log " + path_.string() + ": " + errno_text());
  }
  last_seq_ = seq;
  last_hash_ = prev;
  return records;
}

std::string AuditLog::last_hash() const {
  std::lock_guard lock(mutex_);
  return last_hash_;
}

std::uint64_t AuditLog::last_seq() const {
  std::lock_guard lock(mutex_);
  return last_seq_;
}

}  // namespace nanbyo::audit
