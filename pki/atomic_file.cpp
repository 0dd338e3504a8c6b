#include "pki/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "pki/errno_text.h"

namespace nanbyo {
namespace fs = std::filesystem;

namespace {

// Creates a unique temporary file beside `target` holding `content`.
Result<fs::path> write_temp(const fs::path& target, std::string_view content, fs::perms mode) {
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail("cannot create directory " + dir.string() + ": " + ec.message());
  std::string tmpl = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return fail("cannot create a file in " + dir.string() + ": " + errno_text());
  if (fchmod(fd, static_cast<mode_t>(mode)) != 0) {
    ::close(fd);
    ::unlink(tmpl.c_str());
    return fail("cannot set permissions on " + tmpl + ": " + errno_text());
  }
  std::size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string err = errno_text();
      ::close(fd);
      ::unlink(tmpl.c_str());
      return fail("cannot write " + target.string() + ": " + err);
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmpl.c_str());
    return fail("cannot write " + target.string() + ": " + errno_text());
  }
  return fs::path(tmpl);
}

}  // namespace

Result<void> write_file_atomic(const fs::path& path, std::string_view content, fs::perms mode) {
  NANBYO_TRY(temp, write_temp(path, content, mode));
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    std::string err = errno_text();
    ::unlink(temp.c_str());
    return fail("cannot replace " + path.string() + ": " + err);
  }
  return {};
}

Result<std::string> read_file(const fs::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read " + path.string() + ": " + errno_text());
  std::string data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<std::size_t>(in.gcount()));
    if (data.size() > max_bytes) return fail(path.string() + " is larger than the allowed size");
  }
  return data;
}

StagedFiles::~StagedFiles() {
  for (const auto& e : entries_) ::unlink(e.temp.c_str());
  if (entries_.empty() && committed_) return;
  // Not committed: remove the directories staging created (newest first).
  for (auto it = created_dirs_.rbegin(); it != created_dirs_.rend(); ++it) {
    std::error_code ec;
    fs::remove(*it, ec);  // only succeeds when empty
  }
}

Result<void> StagedFiles::ensure_absent(const fs::path& path) const {
  std::error_code ec;
  if (fs::exists(path, ec))
    return fail(path.string() + " already exists; refusing to overwrite it");
  return {};
}

Result<void> StagedFiles::add(const fs::path& path, std::string_view content, fs::perms mode) {
  // Remember which directories did not exist so a rollback leaves no trace.
  std::vector<fs::path> missing;
  std::error_code ec;
  for (fs::path dir = path.parent_path(); !dir.empty() && !fs::exists(dir, ec);
       dir = dir.parent_path()) {
    missing.push_back(dir);
  }
  created_dirs_.insert(created_dirs_.end(), missing.rbegin(), missing.rend());
  NANBYO_TRY(temp, write_temp(path, content, mode));
  entries_.push_back({temp, path});
  return {};
}

Result<void> StagedFiles::commit() {
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (::rename(entries_[i].temp.c_str(), entries_[i].target.c_str()) != 0) {
      std::string err = errno_text();
      // Undo the renames already done so the set stays all-or-nothing.
      for (std::size_t j = 0; j < i; ++j) ::unlink(entries_[j].target.c_str());
      return fail("cannot create " + entries_[i].target.string() + ": " + err);
    }
  }
  entries_.clear();
  committed_ = true;
  return {};
}

}  // namespace nanbyo
