// How a rotated audit log is named and found (issue 17, S-7, O-2). The live
// file keeps its name (gateway.jsonl); each rotation renames it to the next
// number, zero-padded so that a directory listing shows the order:
//   gateway.jsonl.000001  gateway.jsonl.000002  ...  gateway.jsonl (live)
// Numbers only grow; retention may delete the oldest files, never renumber.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "pki/result.h"

namespace nanbyo::audit {

// The event of the first record of every file after a rotation. Its `prev` is
// the previous file's last hash and its seq follows on; the detail names that
// file ("previous-file", a file name) and repeats its last seq and hash.
inline constexpr std::string_view kRotateEvent = "audit-rotate";

std::filesystem::path rotated_path(const std::filesystem::path& live, std::uint64_t number);

struct RotatedFile {
  std::uint64_t number = 0;
  std::filesystem::path path;
};

// The rotated files of `live`, oldest first (missing directory: none).
Result<std::vector<RotatedFile>> list_rotated(const std::filesystem::path& live);

// The files of the set of `live` in chain order: the rotated ones, then the
// live file if it exists.
Result<std::vector<std::filesystem::path>> list_set(const std::filesystem::path& live);

// The live files whose sets are in `dir`: every *.jsonl, and the live name of
// rotated files whose live file is gone. Sorted by name.
Result<std::vector<std::filesystem::path>> list_live_files(const std::filesystem::path& dir);

}  // namespace nanbyo::audit
