#include "pki/audit/rotation.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace nanbyo::audit {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kNumberDigits = 6;

// "000012" -> 12; false for anything but kNumberDigits or more decimal digits.
bool parse_number(const std::string& text, std::uint64_t& out) {
  if (text.size() < kNumberDigits || text.size() > 18) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return out > 0;
}

// Splits "gateway.jsonl.000012" into the live name and the number.
bool split_rotated(const std::string& name, std::string& live, std::uint64_t& number) {
  auto dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0) return false;
  if (!parse_number(name.substr(dot + 1), number)) return false;
  live = name.substr(0, dot);
  return true;
}

Result<std::vector<fs::path>> entries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  fs::directory_iterator it(dir.empty() ? fs::path(".") : dir, ec);
  if (ec == std::errc::no_such_file_or_directory) return out;
  if (ec) return fail("cannot list " + dir.string() + ": " + ec.message());
  for (const auto& entry : it) {
    if (entry.is_regular_file(ec)) out.push_back(entry.path());
  }
  return out;
}

}  // namespace

fs::path rotated_path(const fs::path& live, std::uint64_t number) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%0*llu", static_cast<int>(kNumberDigits),
                static_cast<unsigned long long>(number));
  fs::path out = live;
  out += ".";
  out += digits;
  return out;
}

Result<std::vector<RotatedFile>> list_rotated(const fs::path& live) {
  NANBYO_TRY(files, entries(live.parent_path()));
  const std::string live_name = live.filename().string();
  std::vector<RotatedFile> out;
  for (const auto& file : files) {
    std::string base;
    std::uint64_t number = 0;
    if (split_rotated(file.filename().string(), base, number) && base == live_name) {
      out.push_back({number, live.parent_path() / file.filename()});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const RotatedFile& a, const RotatedFile& b) { return a.number < b.number; });
  return out;
}

Result<std::vector<fs::path>> list_set(const fs::path& live) {
  NANBYO_TRY(rotated, list_rotated(live));
  std::vector<fs::path> out;
  for (auto& file : rotated) out.push_back(std::move(file.path));
  std::error_code ec;
  if (fs::is_regular_file(live, ec)) out.push_back(live);
  return out;
}

Result<std::vector<fs::path>> list_live_files(const fs::path& dir) {
  NANBYO_TRY(files, entries(dir));
  std::set<std::string> names;
  for (const auto& file : files) {
    std::string name = file.filename().string(), base;
    std::uint64_t number = 0;
    if (split_rotated(name, base, number)) {
      names.insert(base);
    } else if (file.extension() == ".jsonl") {
      names.insert(name);
    }
  }
  std::vector<fs::path> out;
  for (const auto& name : names) out.push_back(dir / name);
  return out;
}

}  // namespace nanbyo::audit
