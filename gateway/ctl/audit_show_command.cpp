// `nanbyoctl audit show` and `tail` (audit_command.h).
#include <chrono>
#include <cstdint>
#include <iostream>
#include <thread>
#include <vector>

#include "gateway/contract/dbus_text.h"
#include "gateway/ctl/audit_command.h"
#include "gateway/ctl/bus_commands.h"
#include "pki/audit/audit_reader.h"

namespace nanbyo::ctl {
namespace {

// "2026-12-03" (midnight UTC) or "2026-12-03T06:00:00Z".
Result<std::optional<TimePoint>> parse_time(const std::string& option, const std::string& text) {
  if (text.empty()) return std::optional<TimePoint>();
  TimePoint t;
  if (parse_utc(text, t) || parse_utc(text + "T00:00:00Z", t)) return std::optional<TimePoint>(t);
  return fail(option + ": expected a UTC time like 2026-12-03 or 2026-12-03T06:00:00Z, got \"" +
              gw::dbus::one_line(text) + "\"");
}

// One line for people; text from the log may come from a hostile peer, so control
// characters are neutralised (one_line).
std::string record_text(const audit::AuditRecord& r) {
  std::string line = format_utc(r.time) + "  #" + std::to_string(r.seq) + "  " + r.event + "  " +
                     std::string(audit::to_string(r.outcome));
  auto field = [&](std::string_view key, const std::string& value) {
    if (!value.empty()) line += "  " + std::string(key) + "=" + gw::dbus::one_line(value);
  };
  field("actor", r.actor);
  field("subject", r.subject);
  field("source", r.source);
  for (const auto& [key, value] : r.detail) field(key, value);
  return line;
}

// Prints the records of `lines` after seq `shown` (the follower may hand over a record
// the first read printed already) and moves `shown` on.
void print_new(const std::vector<std::string>& lines, bool json, std::uint64_t& shown) {
  for (const auto& line : lines) {
    auto record = audit::parse_record_line(line);
    if (record && record->seq <= shown) continue;
    if (record) shown = record->seq;
    if (json) {
      std::cout << line << "\n";
    } else {
      std::cout << (record ? record_text(*record) : "(not a record) " + gw::dbus::one_line(line))
                << "\n";
    }
  }
  std::cout.flush();
}

}  // namespace

int show_audit(const AuditShowArgs& args) {
  audit::RecordFilter filter;
  auto since = parse_time("--since", args.since);
  if (!since) return report_error(since.error().message);
  auto until = parse_time("--until", args.until);
  if (!until) return report_error(until.error().message);
  filter.since = *since;
  filter.until = *until;
  filter.event = args.event;
  if (args.outcome == "allow") filter.outcome = audit::Outcome::Allow;
  if (args.outcome == "deny") filter.outcome = audit::Outcome::Deny;
  if (args.outcome == "info") filter.outcome = audit::Outcome::Info;

  auto read = audit::read_set(args.log, filter,
                              [&](const std::string& line, const audit::AuditRecord& record) {
                                std::cout << (args.json ? line : record_text(record)) << "\n";
                              });
  if (!read) return report_error(read.error().message);
  return 0;
}

int tail_audit(const AuditTailArgs& args) {
  // The follower first, so that nothing written between the two reads is missed; what
  // both see is printed once (by seq).
  auto follower = audit::LogFollower::open_at_end(args.log);
  if (!follower) return report_error(follower.error().message);
  auto last = audit::last_lines(args.log, args.lines);
  if (!last) return report_error(last.error().message);
  std::uint64_t shown = 0;
  print_new(*last, args.json, shown);
  while (args.follow && std::cout) {  // until interrupted, or the reader goes away
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    auto lines = follower->poll();
    if (!lines) return report_error(lines.error().message);
    print_new(*lines, args.json, shown);
  }
  return 0;
}

}  // namespace nanbyo::ctl
