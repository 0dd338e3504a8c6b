// Verifies an audit log end to end (O-2: the log is tamper-evident) and
// reports the FIRST problem in one line naming the file and line, e.g.
//   audit log /var/log/nanbyo/audit/gateway.jsonl line 42: record edited (hash mismatch)
//
// The chain proves that no record was edited, inserted, removed or reordered
// in the middle, but not that whole records were removed from the END (the
// shortened file is still a valid chain), nor that the whole file was rewritten
// with freshly computed hashes. Both are caught by anchors (anchor.h): the
// writer exports its last hash to the journal, which the files' owner cannot
// rewrite, and the verifier requires every anchor to be in the log.
//
// A rotated log (rotation.h) is verified as one chain: each file in order, and
// each link between files (a file's first record continues the previous
// file's last one), so a file removed from the middle breaks the set.
//
// A live log can be verified; a record being written at that very moment may
// show as a truncated last line, so verify again before raising an alarm.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pki/audit/anchor.h"
#include "pki/clock.h"
#include "pki/result.h"

namespace nanbyo::audit {

struct VerifiedFile {
  std::filesystem::path path;
  std::uint64_t records = 0;
  std::uint64_t first_seq = 0;  // 0 for an empty file
  std::uint64_t last_seq = 0;
  std::string last_hash;
};

struct VerifySummary {
  std::uint64_t records = 0;
  std::optional<TimePoint> first_time;  // empty when there are no records
  std::optional<TimePoint> last_time;
  std::string last_hash;        // the genesis value when there are no records
  std::uint64_t first_seq = 0;  // > 1 when the oldest files are gone (retention)
  std::uint64_t last_seq = 0;
  // The file the oldest present file continues ("audit-rotate"), if not present.
  std::string continues_from;
  std::vector<VerifiedFile> files;  // in chain order
  std::uint64_t anchors_matched = 0;
  std::uint64_t anchors_older = 0;  // anchors before the oldest present record
};

// One file on its own.
Result<VerifySummary> verify_audit_file(const std::filesystem::path& path);

// Also requires a record whose hash is `expected_last_hash` (64 hex digits),
// an anchor exported earlier: the log may have grown since, never shrunk.
Result<VerifySummary> verify_audit_file(const std::filesystem::path& path,
                                        std::string_view expected_last_hash);

// The live file `live` and its rotated files, in order, as one chain. Every
// anchor must match: one with a seq names that record's hash (anchors older
// than the oldest present file are counted, not checked); one without a seq
// must be the hash of some record. Anchors naming another log are left out:
// those naming `live`'s path are used, else those naming a file of the same
// name (a copy verified elsewhere; an error if they name several such logs).
Result<VerifySummary> verify_audit_set(const std::filesystem::path& live,
                                       const std::vector<Anchor>& anchors = {});

}  // namespace nanbyo::audit
