// The append-only, hash-chained audit log of one process (S-7, O-2): every
// security decision (connect, reject and which check failed, login, revoke,
// forced logout, IDS block) with who, what, when and from where.
//
// One process writes one file: open() takes an exclusive lock on it, so a
// second writer (another process, or a second AuditLog in this process) is
// refused. The gateway, the application core and the PKI each use their own
// file, e.g. /var/log/nanbyo/audit/gateway.jsonl. append() is thread-safe.
//
// Rotation (issue 17) renames the live file to the next number (rotation.h)
// and starts a new live file whose first record, "audit-rotate", chains from
// the previous file's last hash: the chain runs on across the files.
//
// Records must never hold secrets (see audit_record.h).
#pragma once

#include <span>
#include <vector>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "pki/audit/audit_record.h"
#include "pki/audit/unique_fd.h"
#include "pki/clock.h"
#include "pki/result.h"

namespace nanbyo::audit {

struct AuditLogOptions {
  // Rotate before the next write once the live file has reached this size (a
  // file passes it by one batch at most); 0: only when rotate() is called.
  std::uint64_t rotate_bytes = 0;
};

// Where the chain ends: the anchor a writer exports (anchor.h).
struct ChainPosition {
  std::filesystem::path file;
  std::uint64_t seq = 0;
  std::string hash;
};

class AuditLog {
 public:
  // Opens or creates (mode 0640, missing directories 0750) the log at `path`
  // and continues its chain from the last line, which must be a complete, valid
  // record: a cut-short or edited last line is refused, never appended after.
  // Only the last line is read; verify_audit_file() checks the whole file.
  // A missing or empty live file beside rotated ones continues the newest
  // rotated file's chain (a rotation cut short by a crash, or a live file moved
  // aside). `clock` must outlive the log.
  static Result<std::unique_ptr<AuditLog>> open(const std::filesystem::path& path,
                                                const Clock& clock, AuditLogOptions options = {});

  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Writes one line (O_APPEND) and fdatasync()s it before returning. On a write
  // error the partial line is cut off again; if the file's state is unknown
  // (failed sync), every later append fails until the log is reopened.
  Result<AuditRecord> append(const AuditEvent& event);
  // Appends several records with one write and one fdatasync (all or none).
  Result<std::vector<AuditRecord>> append_batch(std::span<const AuditEvent> events);

  // The hash of the last record (the genesis value for an empty log). Export it
  // now and then (e.g. to the journal) as the anchor for verify_audit_file(),
  // which is what detects whole records removed from the end.
  std::string last_hash() const;
  std::uint64_t last_seq() const;  // 0 for an empty log
  ChainPosition position() const;
  const std::filesystem::path& path() const { return path_; }

  // Renames the live file to the next number and starts a new one with an
  // "audit-rotate" record. On failure the log goes on in the same file.
  Result<ChainPosition> rotate();
  // How many rotations this log has made since it was opened.
  std::uint64_t rotations() const;
  // The error of an automatic rotation that failed since the last call (the
  // records went to the old file; the next write tries again a minute later).
  std::string take_rotation_error();

 private:
  AuditLog(std::filesystem::path path, const Clock& clock, AuditLogOptions options, UniqueFd fd,
           std::uint64_t last_seq, std::string last_hash);
  Result<void> rotate_locked();
  Result<void> write_locked(const std::string& lines);

  const std::filesystem::path path_;
  const Clock& clock_;
  const AuditLogOptions options_;
  mutable std::mutex mutex_;
  UniqueFd fd_;                              // guarded by mutex_
  std::uint64_t last_seq_;                   // guarded by mutex_
  std::string last_hash_;                    // guarded by mutex_
  bool unusable_ = false;                    // guarded by mutex_
  std::uint64_t rotations_ = 0;              // guarded by mutex_
  std::string rotation_error_;               // guarded by mutex_
  std::optional<TimePoint> retry_rotation_;  // guarded by mutex_
};

}  // namespace nanbyo::audit
