// Verifies an audit log file end to end (O-2: the log is tamper-evident) and
// reports the FIRST problem in one line naming the file and line, e.g.
//   audit log /var/log/nanbyo/audit/gateway.jsonl line 42: record edited (hash mismatch)
//
// The chain proves that no record was edited, inserted, removed or reordered
// in the middle, but not that whole records were removed from the END (the
// shortened file is still a valid chain), nor that the whole file was rewritten
// with freshly computed hashes. Both are caught by an anchor: export
// AuditLog::last_hash() periodically somewhere the log's writer cannot rewrite
// (e.g. the systemd journal, a remote syslog, the security staff's report) and
// pass the latest one as `expected_last_hash`.
//
// A live log can be verified; a record being written at that very moment may
// show as a truncated last line, so verify again before raising an alarm.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "pki/clock.h"
#include "pki/result.h"

namespace nanbyo::audit {

struct VerifySummary {
  std::uint64_t records = 0;
  std::optional<TimePoint> first_time;  // empty when there are no records
  std::optional<TimePoint> last_time;
  std::string last_hash;  // the genesis value when there are no records
};

Result<VerifySummary> verify_audit_file(const std::filesystem::path& path);

// Also requires a record whose hash is `expected_last_hash` (64 hex digits),
// an anchor exported earlier: the log may have grown since, never shrunk.
Result<VerifySummary> verify_audit_file(const std::filesystem::path& path,
                                        std::string_view expected_last_hash);

}  // namespace nanbyo::audit
