// Files are never half-written: content goes to a temporary file in the same
// directory, is synced, then renamed over the target.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "pki/result.h"

namespace nanbyo {

// Keys, passwords and PKCS#12 files: read and written by their owner only.
inline constexpr auto kOwnerOnly = std::filesystem::perms(0600);

// Writes `content` to `path` atomically with the given permission bits.
Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view content,
                               std::filesystem::perms mode = std::filesystem::perms(0644));

Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes = 16 << 20);

// A set of files that appear together or not at all: each is staged as a
// temporary file; commit() renames them into place, the destructor removes
// whatever was not committed.
class StagedFiles {
 public:
  StagedFiles() = default;
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;
  ~StagedFiles();

  Result<void> add(const std::filesystem::path& path, std::string_view content,
                   std::filesystem::perms mode = std::filesystem::perms(0644));
  // Refuses before staging anything if any target already exists.
  Result<void> ensure_absent(const std::filesystem::path& path) const;
  Result<void> commit();

 private:
  struct Entry {
    std::filesystem::path temp;
    std::filesystem::path target;
  };
  std::vector<Entry> entries_;
  std::vector<std::filesystem::path> created_dirs_;
  bool committed_ = false;
};

}  // namespace nanbyo
