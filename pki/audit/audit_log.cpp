#include "pki/audit/audit_log.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "pki/audit/line_reader.h"
#include "pki/audit/rotation.h"
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

// The end of the chain in the file open on `fd`: its last record's seq and
// hash, or nothing for an empty file. A damaged last line is refused.
struct ChainEnd {
  std::uint64_t seq = 0;
  std::string hash;
};

Result<std::optional<ChainEnd>> read_chain_end(int fd, const fs::path& path) {
  const std::string refusing =
      "; refusing to continue its chain. Verify the file (nanbyoctl audit "
      "verify), then move it aside to start a new log";
  auto last = read_last_line(fd);
  if (!last) return fail("audit log " + path.string() + ": " + last.error().message + refusing);
  if (!last->terminated) {
    return fail("audit log " + path.string() +
                ": the last line is truncated (no trailing newline)" + refusing);
  }
  if (!last->present) return std::optional<ChainEnd>();
  auto record = parse_record_line(last->text);
  if (!record) {
    return fail("audit log " + path.string() + ": the last line is not a valid record (" +
                record.error().message + ")" + refusing);
  }
  if (!hash_matches(last->text, *record)) {
    return fail("audit log " + path.string() + ": the last record was edited (hash mismatch)" +
                refusing);
  }
  return std::optional<ChainEnd>(ChainEnd{record->seq, record->hash});
}

// The chain end of the newest rotated file of `live`, if there is one.
Result<std::optional<std::pair<fs::path, ChainEnd>>> newest_rotated_end(const fs::path& live) {
  using Found = std::optional<std::pair<fs::path, ChainEnd>>;
  NANBYO_TRY(rotated, list_rotated(live));
  if (rotated.empty()) return Found();
  const fs::path& file = rotated.back().path;
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail("cannot read audit log " + file.string() + ": " + errno_text());
  NANBYO_TRY(end, read_chain_end(fd.get(), file));
  if (!end) return Found();
  return Found(std::pair(file, *end));
}

// The first record of a file after a rotation: chains from `end` of `previous`.
Result<SealedRecord> seal_rotation(TimePoint now, const fs::path& previous, const ChainEnd& end) {
  AuditEvent event;
  event.event = std::string(kRotateEvent);
  event.outcome = Outcome::Info;
  event.actor = "audit";
  event.subject = previous.filename().string();
  event.detail = {{"previous-file", previous.filename().string()},
                  {"previous-last-seq", std::to_string(end.seq)},
                  {"previous-last-hash", end.hash}};
  return seal_record(end.seq + 1, now, event, end.hash);
}

Result<void> sync_fd(int fd, const fs::path& path) {
  if (::fdatasync(fd) != 0)
    return fail("cannot sync audit log " + path.string() + ": " + errno_text());
  return {};
}

}  // namespace

Result<std::unique_ptr<AuditLog>> AuditLog::open(const fs::path& path, const Clock& clock,
                                                 AuditLogOptions options) {
  NANBYO_TRY_VOID(make_dirs(path.parent_path()));
  NANBYO_TRY(fd, open_log_file(path));
  NANBYO_TRY(end, read_chain_end(fd.get(), path));
  if (!end) {
    // An empty live file beside rotated ones continues their chain.
    NANBYO_TRY(previous, newest_rotated_end(path));
    if (previous) {
      NANBYO_TRY(sealed, seal_rotation(clock.now(), previous->first, previous->second));
      if (auto written = write_all(fd.get(), sealed.line + "\n"); !written) {
        return fail("cannot write audit log " + path.string() + ": " + written.error().message);
      }
      NANBYO_TRY_VOID(sync_fd(fd.get(), path));
      end = ChainEnd{sealed.record.seq, sealed.record.hash};
    }
  }
  const ChainEnd start = end.value_or(ChainEnd{0, std::string(kGenesisHash)});
  return std::unique_ptr<AuditLog>(
      new AuditLog(path, clock, options, std::move(fd), start.seq, start.hash));
}

AuditLog::AuditLog(fs::path path, const Clock& clock, AuditLogOptions options, UniqueFd fd,
                   std::uint64_t last_seq, std::string last_hash)
    : path_(std::move(path)),
      clock_(clock),
      options_(options),
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
  const TimePoint now = clock_.now();
  struct stat st {};
  if (::fstat(fd_.get(), &st) != 0) {
    return fail("cannot append to audit log " + path_.string() + ": " + errno_text());
  }
  // Rotate once the live file has reached the limit (a file passes it by one
  // batch at most), unless a failed rotation waits for its retry.
  if (options_.rotate_bytes > 0 &&
      static_cast<std::uint64_t>(st.st_size) >= options_.rotate_bytes &&
      (!retry_rotation_ || now >= *retry_rotation_)) {
    if (auto rotated = rotate_locked(); !rotated) {
      rotation_error_ = rotated.error().message;
      retry_rotation_ = now + std::chrono::minutes(1);
    }
  }

  std::vector<AuditRecord> records;
  std::string lines;
  std::uint64_t seq = last_seq_;
  std::string prev = last_hash_;
  for (const auto& event : events) {
    NANBYO_TRY(sealed, seal_record(seq + 1, now, event, prev));
    lines += sealed.line;
    lines += '\n';
    seq = sealed.record.seq;
    prev = sealed.record.hash;
    records.push_back(std::move(sealed.record));
  }
  NANBYO_TRY_VOID(write_locked(lines));
  last_seq_ = seq;
  last_hash_ = prev;
  return records;
}

Result<void> AuditLog::write_locked(const std::string& lines) {
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
  if (auto synced = sync_fd(fd_.get(), path_); !synced) {
    // After a failed sync the kernel may have dropped the data: the chain on
    // disk is unknown, so stop rather than chain on a record that may be lost.
    unusable_ = true;
    return synced;
  }
  return {};
}

Result<ChainPosition> AuditLog::rotate() {
  std::lock_guard lock(mutex_);
  if (unusable_) {
    return fail("audit log " + path_.string() + " is unusable after a failed write; not rotated");
  }
  NANBYO_TRY_VOID(rotate_locked());
  return ChainPosition{path_, last_seq_, last_hash_};
}

// Rename, create, write the rotation record, then switch: any failure on the
// way puts the live name back on the old file, which the log keeps writing.
Result<void> AuditLog::rotate_locked() {
  const std::string what = "cannot rotate audit log " + path_.string() + ": ";
  NANBYO_TRY(rotated, list_rotated(path_));
  const fs::path target = rotated_path(path_, rotated.empty() ? 1 : rotated.back().number + 1);
  if (::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
    return fail(what + "rename to " + target.filename().string() + ": " + errno_text());
  }
  auto undo = [&](const std::string& why) -> Result<void> {
    if (::rename(target.c_str(), path_.c_str()) != 0) unusable_ = true;
    return fail(what + why);
  };
  auto fresh = open_log_file(path_);
  if (!fresh) return undo(fresh.error().message);
  auto sealed = seal_rotation(clock_.now(), target, ChainEnd{last_seq_, last_hash_});
  if (!sealed) return undo(sealed.error().message);
  auto written = write_all(fresh->get(), sealed->line + "\n");
  if (written) written = sync_fd(fresh->get(), path_);
  if (!written) {
    ::unlink(path_.c_str());
    return undo(written.error().message);
  }
  fd_ = std::move(*fresh);
  last_seq_ = sealed->record.seq;
  last_hash_ = sealed->record.hash;
  ++rotations_;
  return {};
}

std::uint64_t AuditLog::rotations() const {
  std::lock_guard lock(mutex_);
  return rotations_;
}

std::string AuditLog::take_rotation_error() {
  std::lock_guard lock(mutex_);
  return std::exchange(rotation_error_, {});
}

ChainPosition AuditLog::position() const {
  std::lock_guard lock(mutex_);
  return {path_, last_seq_, last_hash_};
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
