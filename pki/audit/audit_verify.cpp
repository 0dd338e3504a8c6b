#include "pki/audit/audit_verify.h"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "pki/audit/audit_record.h"
#include "pki/audit/line_reader.h"
#include "pki/audit/rotation.h"

namespace nanbyo::audit {
namespace fs = std::filesystem;

namespace {

// The anchors a walk checks as it meets their records.
struct AnchorIndex {
  std::multimap<std::uint64_t, std::string> by_seq;
  std::set<std::string> bare;  // hashes without a seq
  std::set<std::string> bare_found;
  std::uint64_t matched = 0;
};

struct FileWalk {
  VerifiedFile file;
  std::string first_prev;      // the first record's prev
  std::string continues_from;  // "previous-file" of a leading audit-rotate record
  std::optional<TimePoint> first_time, last_time;
  std::uint64_t lines = 0;
};

// Checks one line as record `n` of the file; `walk` holds the chain so far.
Result<void> check_line(const std::string& line, const std::string& at, FileWalk& walk,
                        AnchorIndex& anchors) {
  auto record = parse_record_line(line);
  if (!record) return fail(at + "not a valid record (" + record.error().message + ")");
  if (!hash_matches(line, *record)) return fail(at + "record edited (hash mismatch)");
  VerifiedFile& file = walk.file;
  if (walk.lines == 1) {
    // A file starts a chain, or continues the previous file's after a rotation.
    walk.first_prev = record->prev;
    if (record->event == kRotateEvent && record->prev != kGenesisHash) {
      auto previous = record->detail.find("previous-file");
      if (previous != record->detail.end()) walk.continues_from = previous->second;
      file.last_hash = record->prev;
      file.last_seq = record->seq - 1;
    } else if (record->prev != kGenesisHash) {
      return fail(at +
                  "chain broken (prev is not the genesis value; "
                  "records were removed from the start)");
    }
  } else if (record->prev != file.last_hash) {
    return fail(at + "chain broken (prev does not match line " + std::to_string(walk.lines - 1) +
                "; a record was removed, inserted or reordered)");
  }
  if (record->seq != file.last_seq + 1) {
    return fail(at + "sequence number " + std::to_string(record->seq) + ", expected " +
                std::to_string(file.last_seq + 1));
  }
  auto [from, to] = anchors.by_seq.equal_range(record->seq);
  for (auto it = from; it != to; ++it) {
    if (it->second != record->hash) {
      return fail(at + "record seq " + std::to_string(record->seq) +
                  " does not match its anchor (" + it->second +
                  "): the log was rewritten after the anchor was exported");
    }
    ++anchors.matched;
  }
  if (anchors.bare.count(record->hash) != 0) anchors.bare_found.insert(record->hash);

  if (file.records++ == 0) file.first_seq = record->seq;
  file.last_seq = record->seq;
  file.last_hash = record->hash;
  if (!walk.first_time) walk.first_time = record->time;
  walk.last_time = record->time;
  return {};
}

Result<FileWalk> walk_file(const fs::path& path, AnchorIndex& anchors) {
  const std::string name = "audit log " + path.string();
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail("cannot read " + name + ": " + std::strerror(errno));
  LineReader reader(std::move(fd));

  FileWalk walk;
  walk.file.path = path;
  walk.file.last_hash = std::string(kGenesisHash);
  std::string line;
  for (;;) {
    LineReader::Status status = reader.next(line);
    if (status == LineReader::Status::kEnd) break;
    if (status == LineReader::Status::kReadError) {
      return fail("cannot read " + name + ": " + std::strerror(errno));
    }
    ++walk.lines;
    const std::string at = name + " line " + std::to_string(walk.lines) + ": ";
    if (status == LineReader::Status::kTooLong) {
      return fail(at + "not a valid record (longer than " + std::to_string(kMaxLineBytes) +
                  " bytes)");
    }
    if (status == LineReader::Status::kUnterminated) {
      return fail(at + "last line truncated (no trailing newline)");
    }
    NANBYO_TRY_VOID(check_line(line, at, walk, anchors));
  }
  return walk;
}

// The link between two neighbouring files of a set.
Result<void> check_link(const FileWalk& before, const FileWalk& after) {
  if (after.file.records == 0) return {};  // a live file not written yet
  if (after.first_prev == before.file.last_hash &&
      after.file.first_seq == before.file.last_seq + 1) {
    return {};
  }
  const std::string a = before.file.path.filename().string();
  const std::string b = after.file.path.filename().string();
  const std::string from =
      after.continues_from.empty() ? "a file it does not name" : after.continues_from;
  return fail("audit log " + after.file.path.string() + " line 1: chain broken between " + a +
              " and " + b + ": " + b + " continues from " + from + " at seq " +
              std::to_string(after.file.first_seq - 1) + ", but " + a + " ends at seq " +
              std::to_string(before.file.last_seq) + " (a file was removed or replaced)");
}

Result<VerifySummary> verify_files(const std::vector<fs::path>& files, const fs::path& name,
                                   const std::vector<Anchor>& anchor_list) {
  AnchorIndex anchors;
  for (const auto& anchor : anchor_list) {
    if (anchor.seq == 0) {
      anchors.bare.insert(anchor.hash);
    } else {
      anchors.by_seq.emplace(anchor.seq, anchor.hash);
    }
  }
  VerifySummary summary;
  summary.last_hash = std::string(kGenesisHash);
  std::optional<FileWalk> before;
  for (const auto& path : files) {
    NANBYO_TRY(walk, walk_file(path, anchors));
    if (before) {
      NANBYO_TRY_VOID(check_link(*before, walk));
    } else {
      summary.continues_from = walk.continues_from;
    }
    if (walk.file.records > 0) {
      if (summary.records == 0) summary.first_seq = walk.file.first_seq;
      summary.records += walk.file.records;
      summary.last_seq = walk.file.last_seq;
      summary.last_hash = walk.file.last_hash;
      if (!summary.first_time) summary.first_time = walk.first_time;
      summary.last_time = walk.last_time;
    }
    summary.files.push_back(walk.file);
    before = std::move(walk);
  }
  summary.anchors_matched = anchors.matched;

  for (const auto& [seq, hash] : anchors.by_seq) {
    if (seq < summary.first_seq) {
      ++summary.anchors_older;
    } else if (seq > summary.last_seq) {
      return fail("audit log " + name.string() +
                  ": records removed from the end: the log ends at seq " +
                  std::to_string(summary.last_seq) + ", but an anchor names seq " +
                  std::to_string(seq) + " (" + hash + ")");
    }
  }
  for (const auto& hash : anchors.bare) {
    if (hash == kGenesisHash || anchors.bare_found.count(hash) != 0) continue;
    if (files.size() == 1) {
      return fail(
          "audit log " + name.string() + ": records removed from the end (the anchored record " +
          hash + " is not in the file, which ends at line " +
          std::to_string(before ? before->lines : 0) + "; or the anchor belongs to another file)");
    }
    return fail("audit log " + name.string() +
                ": records removed from the end (the anchored record " + hash +
                " is not in the log, which ends at seq " + std::to_string(summary.last_seq) +
                "; or the anchor belongs to another log)");
  }
  return summary;
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  auto ca = fs::weakly_canonical(a, ec);
  if (ec) return a == b;
  auto cb = fs::weakly_canonical(b, ec);
  return ec ? a == b : ca == cb;
}

// The journal holds the anchors of every process: those exported for this log are the ones
// naming its path; for a copy elsewhere, those naming a log of the same file name, as long
// as that name is not ambiguous.
Result<std::vector<Anchor>> anchors_for(const fs::path& live, const std::vector<Anchor>& all) {
  std::vector<Anchor> unnamed, exact, by_name;
  std::set<std::string> names;
  for (const auto& anchor : all) {
    if (anchor.file.empty()) {
      unnamed.push_back(anchor);
    } else if (same_file(anchor.file, live)) {
      exact.push_back(anchor);
    } else if (fs::path(anchor.file).filename() == live.filename()) {
      by_name.push_back(anchor);
      names.insert(anchor.file);
    }
  }
  std::vector<Anchor> out = exact.empty() ? by_name : exact;
  if (exact.empty() && names.size() > 1) {
    std::string list;
    for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
    return fail("the anchors name several logs called " + live.filename().string() + " (" + list +
                "); keep one log's anchors, e.g. journalctl NANBYO_AUDIT_FILE=PATH");
  }
  out.insert(out.end(), unnamed.begin(), unnamed.end());
  return out;
}

}  // namespace

Result<VerifySummary> verify_audit_file(const fs::path& path) {
  return verify_files({path}, path, {});
}

Result<VerifySummary> verify_audit_file(const fs::path& path, std::string_view expected_last_hash) {
  NANBYO_TRY(hash, parse_anchor_hash(expected_last_hash));
  return verify_files({path}, path, {Anchor{0, std::move(hash), ""}});
}

Result<VerifySummary> verify_audit_set(const fs::path& live, const std::vector<Anchor>& anchors) {
  NANBYO_TRY(files, list_set(live));
  if (files.empty()) {
    return fail("cannot read audit log " + live.string() + ": " + std::strerror(ENOENT));
  }
  NANBYO_TRY(mine, anchors_for(live, anchors));
  return verify_files(files, live, mine);
}

}  // namespace nanbyo::audit
