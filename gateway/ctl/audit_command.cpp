#include "gateway/ctl/audit_command.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "gateway/ctl/bus_commands.h"
#include "pki/audit/audit_verify.h"
#include "pki/audit/rotation.h"

namespace nanbyo::ctl {
namespace fs = std::filesystem;

namespace {

Result<std::vector<audit::Anchor>> read_anchors(const AuditVerifyArgs& args) {
  std::vector<audit::Anchor> anchors;
  if (!args.anchor.empty()) {
    NANBYO_TRY(hash, audit::parse_anchor_hash(args.anchor));
    anchors.push_back({0, std::move(hash), ""});
  }
  if (args.anchors_file.empty()) return anchors;
  std::string text;
  if (args.anchors_file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(args.anchors_file, std::ios::binary);
    if (!in) return fail("cannot read anchors from " + args.anchors_file);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  NANBYO_TRY(more, audit::parse_anchors(text));
  anchors.insert(anchors.end(), more.begin(), more.end());
  return anchors;
}

std::string ok_line(const audit::VerifySummary& s, std::size_t anchors) {
  std::string line = "OK: " + std::to_string(s.records) + (s.records == 1 ? " record" : " records");
  if (s.files.size() > 1) line += " in " + std::to_string(s.files.size()) + " files";
  line += ", last hash " + s.last_hash;
  if (!s.continues_from.empty()) {
    line += "; starts at seq " + std::to_string(s.first_seq) + " (continues " + s.continues_from +
            ", not present)";
  }
  if (anchors > 0) {
    line += "; " + std::to_string(s.anchors_matched) + " of " + std::to_string(anchors) +
            " anchors matched";
    if (s.anchors_older > 0) line += ", " + std::to_string(s.anchors_older) + " older than the log";
  }
  return line;
}

nlohmann::ordered_json summary_json(const fs::path& log, const Result<audit::VerifySummary>& r,
                                    std::size_t anchors) {
  nlohmann::ordered_json out;
  out["log"] = log.string();
  out["ok"] = r.ok();
  if (!r) {
    out["error"] = r.error().message;
    return out;
  }
  out["records"] = r->records;
  out["first_seq"] = r->first_seq;
  out["last_seq"] = r->last_seq;
  out["last_hash"] = r->last_hash;
  out["first_time"] = r->first_time ? format_utc(*r->first_time) : "";
  out["last_time"] = r->last_time ? format_utc(*r->last_time) : "";
  out["continues_from"] = r->continues_from;
  out["anchors"] = {
      {"given", anchors}, {"matched", r->anchors_matched}, {"older", r->anchors_older}};
  auto& files = out["files"] = nlohmann::ordered_json::array();
  for (const auto& f : r->files) {
    files.push_back({{"file", f.path.string()},
                     {"records", f.records},
                     {"first_seq", f.first_seq},
                     {"last_seq", f.last_seq},
                     {"last_hash", f.last_hash}});
  }
  return out;
}

// A rotated file on its own (gateway.jsonl.000003) is verified alone; a live file with
// its rotated files; a directory, every log in it.
Result<std::vector<fs::path>> logs_of(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    NANBYO_TRY(logs, audit::list_live_files(path));
    if (logs.empty()) return fail("no audit log in " + path.string());
    return logs;
  }
  return std::vector<fs::path>{path};
}

bool is_rotated_file(const fs::path& path) {
  auto rotated = audit::list_rotated(path.parent_path() / path.stem());
  if (!rotated) return false;
  for (const auto& file : *rotated) {
    if (file.path.filename() == path.filename()) return true;
  }
  return false;
}

}  // namespace

int verify_audit(const AuditVerifyArgs& args) {
  auto anchors = read_anchors(args);
  if (!anchors) return report_error(anchors.error().message);
  auto logs = logs_of(args.path);
  if (!logs) return report_error(logs.error().message);

  bool all_ok = true;
  auto logs_json = nlohmann::ordered_json::array();
  for (const auto& log : *logs) {
    auto summary = is_rotated_file(log) ? audit::verify_audit_file(log)
                                        : audit::verify_audit_set(log, *anchors);
    all_ok = all_ok && summary.ok();
    if (args.json) {
      logs_json.push_back(summary_json(log, summary, anchors->size()));
    } else if (!summary) {
      report_error(summary.error().message);
    } else {
      const std::string prefix = logs->size() > 1 ? log.filename().string() + ": " : "";
      std::cout << prefix << ok_line(*summary, anchors->size()) << "\n";
    }
  }
  if (args.json) {
    std::cout << (logs->size() == 1 ? logs_json.front()
                                    : nlohmann::ordered_json{{"ok", all_ok}, {"logs", logs_json}})
                     .dump(2)
              << "\n";
  }
  return all_ok ? 0 : 1;
}

AuditCommands::AuditCommands(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "audit log tools (no gateway needed)");
  audit->require_subcommand(1);

  verify_ =
      audit->add_subcommand("verify", "check an audit log's hash chain, rotated files included");
  verify_
      ->add_option("PATH", verify_args_.path,
                   "live file (e.g. /var/log/nanbyo/audit/gateway.jsonl), one rotated file, or "
                   "a directory of logs")
      ->required();
  verify_->add_option("--anchor", verify_args_.anchor,
                      "a last hash exported earlier: also catches a cut-off end");
  verify_->add_option("--anchors", verify_args_.anchors_file,
                      "anchors, one a line: journalctl -o json output, SEQ HASH or HASH; - for "
                      "stdin");
  verify_->add_flag("--json", verify_args_.json, "print JSON instead of text");

  show_ = audit->add_subcommand("show", "print the records of a log, rotated files included");
  show_->add_option("LOG", show_args_.log, "live file")->required();
  show_->add_option("--since", show_args_.since,
                    "from this UTC time (2026-12-03 or ...T06:00:00Z)");
  show_->add_option("--until", show_args_.until, "before this UTC time");
  show_->add_option("--event", show_args_.event, "only this event, e.g. tls-reject");
  show_->add_option("--outcome", show_args_.outcome, "allow, deny or info")
      ->check(CLI::IsMember({"allow", "deny", "info"}));
  show_->add_flag("--json", show_args_.json, "print the records' JSON lines");

  tail_ = audit->add_subcommand("tail", "print the last records, and follow across rotations");
  tail_->add_option("LOG", tail_args_.log, "live file")->required();
  tail_->add_option("-n,--lines", tail_args_.lines, "how many")->capture_default_str();
  tail_->add_flag("-f,--follow", tail_args_.follow, "keep printing new records");
  tail_->add_flag("--json", tail_args_.json, "print the records' JSON lines");
}

std::optional<int> AuditCommands::run() const {
  if (*verify_) return verify_audit(verify_args_);
  if (*show_) return show_audit(show_args_);
  if (*tail_) return tail_audit(tail_args_);
  return std::nullopt;
}

}  // namespace nanbyo::ctl
