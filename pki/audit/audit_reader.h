// Reading a rotated audit log as operators do (issue 17): every record of a
// set in chain order with a filter (`nanbyoctl audit show`), and following the
// live file across rotations (`nanbyoctl audit tail`). Reading checks each
// line's structure, not the chain: that is audit_verify.h's job.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pki/audit/audit_record.h"
#include "pki/audit/unique_fd.h"
#include "pki/result.h"

namespace nanbyo::audit {

struct RecordFilter {
  std::optional<TimePoint> since;  // inclusive
  std::optional<TimePoint> until;  // exclusive
  std::string event;               // empty: any
  std::optional<Outcome> outcome;
  bool matches(const AuditRecord& record) const;
};

// One record and its line (the line is the record's canonical JSON).
using RecordVisitor = std::function<void(const std::string& line, const AuditRecord& record)>;

// Calls `visit` for each record of the set of `live` that passes `filter`, in
// order. A line that is not a record stops the read with an error naming it.
Result<void> read_set(const std::filesystem::path& live, const RecordFilter& filter,
                      const RecordVisitor& visit);

// The last `count` lines of the set (fewer if it has fewer), oldest first.
Result<std::vector<std::string>> last_lines(const std::filesystem::path& live, std::size_t count);

// Follows the live file: each poll() returns the complete lines appended since
// the last one; after a rotation it reads the old file to its end, then goes
// on with the new live file from its start, so no record is skipped.
class LogFollower {
 public:
  // Starts at the current end of the live file (or at the start of a live file
  // created later).
  static Result<LogFollower> open_at_end(const std::filesystem::path& live);
  Result<std::vector<std::string>> poll();

 private:
  explicit LogFollower(std::filesystem::path live) : live_(std::move(live)) {}
  Result<void> drain(std::vector<std::string>& out);

  std::filesystem::path live_;
  UniqueFd fd_;
  ino_t inode_ = 0;
  std::string partial_;
};

}  // namespace nanbyo::audit
