// `nanbyoctl audit verify|show|tail` (issue 17, S-7, O-2): the audit logs offline, no bus
// and no gateway needed. Each takes the live file (gateway.jsonl) and reads its rotated
// files with it (pki/audit/rotation.h); verify also takes a directory of logs.
//   verify PATH [--anchor HASH] [--anchors FILE|-] [--json]
//       "OK: N records, last hash H" (per log) and exit 0, or the first problem as one
//       error line naming the file and line, and exit 1.
//   show LOG [--since T] [--until T] [--event E] [--outcome allow|deny|info] [--json]
//   tail LOG [-n N] [--follow] [--json]
// --json: verify prints one object; show and tail print the records' own lines (JSON Lines).
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace nanbyo::ctl {

struct AuditVerifyArgs {
  std::string path;
  std::string anchor;        // one hash; empty: none
  std::string anchors_file;  // "-": stdin (journalctl -o json ... |); empty: none
  bool json = false;
};

struct AuditShowArgs {
  std::string log;
  std::string since, until;  // 2026-12-03 or 2026-12-03T06:00:00Z, UTC
  std::string event, outcome;
  bool json = false;
};

struct AuditTailArgs {
  std::string log;
  std::size_t lines = 10;
  bool follow = false;
  bool json = false;
};

int verify_audit(const AuditVerifyArgs& args);
int show_audit(const AuditShowArgs& args);
int tail_audit(const AuditTailArgs& args);

// Adds `audit` and its subcommands to `app`; run() dispatches after parsing.
class AuditCommands {
 public:
  explicit AuditCommands(CLI::App& app);
  // The exit code when an audit command was given, nothing otherwise.
  std::optional<int> run() const;

 private:
  CLI::App* verify_ = nullptr;
  CLI::App* show_ = nullptr;
  CLI::App* tail_ = nullptr;
  AuditVerifyArgs verify_args_;
  AuditShowArgs show_args_;
  AuditTailArgs tail_args_;
};

}  // namespace nanbyo::ctl
