#include "pki/audit/audit_verify.h"

#include <fcntl.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "pki/audit/audit_record.h"
#include "pki/audit/line_reader.h"

namespace nanbyo::audit {
namespace {

// Walks the file once; `anchor` (lower-case hex) must be one of its hashes if given.
Result<VerifySummary> walk(const std::filesystem::path& path, std::optional<std::string> anchor) {
  const std::string file = "audit log " + path.string();
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail("cannot read " + file + ": " + std::strerror(errno));
  LineReader reader(std::move(fd));

  VerifySummary summary;
  summary.last_hash = std::string(kGenesisHash);
  bool anchor_found = !anchor || *anchor == kGenesisHash;
  std::uint64_t n = 0;  // line number
  std::string line;
  for (;;) {
    LineReader::Status status = reader.next(line);
    if (status == LineReader::Status::kEnd) break;
    if (status == LineReader::Status::kReadError) {
      return fail("cannot read " + file + ": " + std::strerror(errno));
    }
    ++n;
    const std::string at = file + " line " + std::to_string(n) + ": ";
    switch (status) {
      case LineReader::Status::kTooLong:
        return fail(at + "not a valid record (longer than " + std::to_string(kMaxLineBytes) +
                    " bytes)");
      case LineReader::Status::kUnterminated:
        return fail(at + "last line truncated (no trailing newline)");
      default:
        break;
    }

    auto record = parse_record_line(line);
    if (!record) return fail(at + "not a valid record (" + record.error().message + ")");
    if (!hash_matches(line, *record)) return fail(at + "record edited (hash mismatch)");
    if (record->prev != summary.last_hash) {
      if (n == 1) {
        return fail(at +
                    "chain broken (prev is not the genesis value; "
                    "records were removed from the start)");
      }
      return fail(at + "chain broken (prev does not match line " + std::to_string(n - 1) +
                  "; a record was removed, inserted or reordered)");
    }
    if (record->seq != summary.records + 1) {
      return fail(at + "sequence number " + std::to_string(record->seq) + ", expected " +
                  std::to_string(summary.records + 1));
    }

    ++summary.records;
    if (!summary.first_time) summary.first_time = record->time;
    summary.last_time = record->time;
    summary.last_hash = record->hash;
    if (anchor && record->hash == *anchor) anchor_found = true;
  }

  if (!anchor_found) {
    return fail(file + ": records removed from the end (the anchored record " + *anchor +
                " is not in the file, which ends at line " + std::to_string(n) +
                "; or the anchor belongs to another file)");
  }
  return summary;
}

}  // namespace

Result<VerifySummary> verify_audit_file(const std::filesystem::path& path) {
  return walk(path, std::nullopt);
}

Result<VerifySummary> verify_audit_file(const std::filesystem::path& path,
                                        std::string_view expected_last_hash) {
  std::string anchor(expected_last_hash);
  std::transform(anchor.begin(), anchor.end(), anchor.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  bool hex = anchor.size() == kGenesisHash.size() &&
             std::all_of(anchor.begin(), anchor.end(),
                         [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  if (!hex) return fail("the audit anchor is not a SHA-256 hash (64 hex digits)");
  return walk(path, std::move(anchor));
}

}  // namespace nanbyo::audit
