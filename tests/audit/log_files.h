// Helpers for the audit tests: a log filled with known records, and the
// line-level edits an intruder (or a crash) could make to its file.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "../pki/test_support.h"
#include "pki/atomic_file.h"
#include "pki/audit/audit_log.h"

namespace nanbyo::audit::testing {

using nanbyo::testing::FakeClock;
using nanbyo::testing::TempDir;

inline AuditEvent tls_reject(int n) {
  AuditEvent e;
  e.event = "tls-reject";
  e.outcome = Outcome::Deny;
  e.actor = "serial-" + std::to_string(n);
  e.subject = "1310000001";
  e.source = "192.0.2." + std::to_string(n);
  e.detail = {{"check", "crl"}, {"reason", "revoked"}};
  return e;
}

// Appends `count` records (one second apart) and returns the log's last hash.
inline std::string fill(const std::filesystem::path& path, FakeClock& clock, int count) {
  auto log = AuditLog::open(path, clock);
  REQUIRE(log.ok());
  for (int i = 1; i <= count; ++i) {
    clock.advance(std::chrono::seconds(1));
    REQUIRE((*log)->append(tls_reject(i)).ok());
  }
  return (*log)->last_hash();
}

// The file's lines, each with its '\n' if it has one.
inline std::vector<std::string> read_lines(const std::filesystem::path& path) {
  auto text = read_file(path);
  REQUIRE(text.ok());
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text->size()) {
    std::size_t nl = text->find('\n', start);
    std::size_t end = nl == std::string::npos ? text->size() : nl + 1;
    lines.push_back(text->substr(start, end - start));
    start = end;
  }
  return lines;
}

inline void write_lines(const std::filesystem::path& path, const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line;
  REQUIRE(write_file_atomic(path, text, std::filesystem::perms(0640)).ok());
}

}  // namespace nanbyo::audit::testing
