// The auditor's console's index of the audit logs (issue 17, S-7, O-2): an
// SQLite file beside the application core's database, built from the logs and
// caught up before every console request, so a search over a million records
// reads a few index pages instead of the files.
//
// How it follows the logs: for every file of a log's set (rotation.h) it keeps
// the file's inode and how far it has read. A rotation renames the live file
// (same inode: reading goes on where it stopped) and starts a new one (a new
// inode: read from its start), so nothing is read twice or skipped. Each new
// line is checked as it is indexed: its own hash, and its link to the record
// before it. The first problem is kept and shown; a full check of the files
// (verify_audit_set) is a separate, explicit action.
//
// The index is derived data: deleted, it is rebuilt from the logs. It is not
// evidence: a record's detail page reads the record again from its file and
// shows whether the file still says the same.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "appcore/audit_console/record_facets.h"
#include "pki/result.h"

namespace SQLite {
class Database;
}

namespace nanbyo::console {

struct IndexedLog {
  std::string name;  // "gateway", "appcore": what the console shows and filters by
  std::filesystem::path live;
  Writer writer = Writer::ApplicationCore;
};

struct AuditQuery {
  std::optional<std::int64_t> since;            // seconds since the epoch, inclusive
  std::optional<std::int64_t> until;            // exclusive
  std::string log;                              // empty: every log
  std::string user, hospital, terminal, event;  // exact; terminal: serial or name
  std::optional<audit::Outcome> outcome;
  bool alerts_only = false;
  std::string family;  // alerts of this family
  // Keyset paging, newest first: records strictly older than this position.
  std::optional<std::pair<std::int64_t, std::int64_t>> before;  // (time, id)
  std::size_t limit = 50;
};

struct IndexedRecord {
  std::int64_t id = 0;  // the index's row, for the detail page
  std::string log;
  std::uint64_t seq = 0;
  std::int64_t time = 0;  // seconds since the epoch
  std::string event;
  audit::Outcome outcome = audit::Outcome::Info;
  std::string actor, subject, source;
  RecordFacets facets;
  std::string detail_json;  // the record's detail object
  std::string hash;
};

struct SearchPage {
  std::vector<IndexedRecord> records;
  bool more = false;  // another page follows (its cursor: the last record's time and id)
};

struct LogStatus {
  std::string name;
  std::filesystem::path live;
  std::uint64_t records = 0;
  std::uint64_t last_seq = 0;
  std::string last_hash;
  std::optional<std::int64_t> last_time;
  std::string problem;  // the first chain problem met while indexing, "" when none
};

struct DailyCount {
  std::string day;  // YYYY-MM-DD, Japan Standard Time
  std::string metric;
  std::uint64_t count = 0;
};

// A record read back from its file for the detail page.
struct RecordOnFile {
  enum class State { Same, Changed, Gone } state = State::Gone;
  std::string line;  // as the file says now (Same or Changed)
};

class AuditIndex {
 public:
  static Result<std::unique_ptr<AuditIndex>> open(const std::filesystem::path& index_file,
                                                  std::vector<IndexedLog> logs);
  ~AuditIndex();

  // Reads what the logs gained since the last call. Returns how many records it indexed.
  Result<std::uint64_t> catch_up();

  Result<SearchPage> search(const AuditQuery& query) const;
  // How many records match, counting at most `cap` (the page says "more than").
  Result<std::uint64_t> count(const AuditQuery& query, std::uint64_t cap) const;
  Result<std::optional<IndexedRecord>> record(std::int64_t id) const;
  Result<RecordOnFile> read_from_file(std::int64_t id) const;
  Result<std::vector<LogStatus>> status() const;
  // The daily counters from `first_day` (YYYY-MM-DD, JST) on.
  Result<std::vector<DailyCount>> daily(const std::string& first_day) const;
  // The alert families seen, for the filter's choices.
  Result<std::vector<std::string>> families() const;

  const std::vector<IndexedLog>& logs() const { return logs_; }

 private:
  AuditIndex(std::unique_ptr<SQLite::Database> db, std::vector<IndexedLog> logs);
  Result<std::uint64_t> catch_up_log(std::size_t log);

  mutable std::mutex mutex_;  // one connection; the console's requests take turns
  std::unique_ptr<SQLite::Database> db_;
  std::vector<IndexedLog> logs_;
};

// The JST calendar day of a time (seconds since the epoch): "2026-12-03".
std::string jst_day(std::int64_t time);

}  // namespace nanbyo::console
