// The index's schema and how it follows the logs (audit_index.h); the queries
// are in audit_query.cpp.
#include "appcore/audit_console/audit_index.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <chrono>
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "pki/audit/line_reader.h"
#include "pki/audit/rotation.h"

namespace nanbyo::console {
namespace {

// Searches filter on one column and walk time backwards: each filterable column
// has an index ending in time, partial (NULL: not said) so that records without
// the column cost nothing. SQLite uses a partial index for "column = ?" because
// the equality implies IS NOT NULL.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS logs(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, live TEXT NOT NULL,
  records INTEGER NOT NULL DEFAULT 0, last_seq INTEGER NOT NULL DEFAULT 0,
  last_hash TEXT NOT NULL DEFAULT '', last_time INTEGER, problem TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS files(
  log INTEGER NOT NULL, inode INTEGER NOT NULL, offset INTEGER NOT NULL,
  PRIMARY KEY(log, inode));
CREATE TABLE IF NOT EXISTS records(
  id INTEGER PRIMARY KEY, log INTEGER NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL,
  event TEXT NOT NULL, outcome INTEGER NOT NULL, actor TEXT NOT NULL, subject TEXT NOT NULL,
  source TEXT NOT NULL, user TEXT, hospital TEXT, terminal TEXT, terminal_name TEXT,
  family TEXT, severity TEXT, detail TEXT NOT NULL, hash TEXT NOT NULL,
  inode INTEGER NOT NULL, offset INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS records_time ON records(time);
CREATE INDEX IF NOT EXISTS records_event ON records(event, time);
CREATE INDEX IF NOT EXISTS records_event_outcome ON records(event, outcome, time);
CREATE INDEX IF NOT EXISTS records_alerts ON records(time) WHERE family IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_outcome ON records(outcome, time);
CREATE INDEX IF NOT EXISTS records_user ON records(user, time) WHERE user IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_hospital ON records(hospital, time) WHERE hospital IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_terminal ON records(terminal, time) WHERE terminal IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_terminal_name ON records(terminal_name, time)
  WHERE terminal_name IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_family ON records(family, time) WHERE family IS NOT NULL;
CREATE TABLE IF NOT EXISTS daily(
  day TEXT NOT NULL, log INTEGER NOT NULL, metric TEXT NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY(day, log, metric));
)sql";

constexpr std::size_t kRecordsPerTransaction = 20000;

void bind_text_or_null(SQLite::Statement& q, int index, const std::string& value) {
  if (value.empty()) {
    q.bind(index);  // NULL
  } else {
    q.bind(index, value);
  }
}

std::string detail_json(const audit::AuditRecord& r) {
  nlohmann::json detail = nlohmann::json::object();
  for (const auto& [key, value] : r.detail) detail[key] = value;
  return detail.dump(-1, ' ', true);
}

// What catch_up_log() carries from line to line of one log.
struct LogCursor {
  std::int64_t id = 0;
  std::uint64_t records = 0, last_seq = 0;
  std::string last_hash;
  std::optional<std::int64_t> last_time;
  std::string problem;
  std::map<std::tuple<std::string, std::string>, std::uint64_t> daily;  // (day, metric)

  void note_problem(std::string text) {
    if (problem.empty()) problem = std::move(text);
  }
};

}  // namespace

std::string jst_day(std::int64_t time) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_seconds(seconds(time + 9 * 3600)));
  const year_month_day ymd(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

AuditIndex::AuditIndex(std::unique_ptr<SQLite::Database> db, std::vector<IndexedLog> logs)
    : db_(std::move(db)), logs_(std::move(logs)) {}

AuditIndex::~AuditIndex() = default;

Result<std::unique_ptr<AuditIndex>> AuditIndex::open(const std::filesystem::path& index_file,
                                                     std::vector<IndexedLog> logs) {
  try {
    auto db = std::make_unique<SQLite::Database>(index_file.string(),
                                                 SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;");
    db->exec(kSchema);
    for (const auto& log : logs) {
      SQLite::Statement q(*db,
                          "INSERT INTO logs(name, live) VALUES(?, ?) ON CONFLICT(name) "
                          "DO UPDATE SET live = excluded.live");
      q.bind(1, log.name);
      q.bind(2, log.live.string());
      q.exec();
    }
    return std::unique_ptr<AuditIndex>(new AuditIndex(std::move(db), std::move(logs)));
  } catch (const SQLite::Exception& e) {
    return fail("the audit index " + index_file.string() + " cannot be opened: " + e.what());
  }
}

Result<std::uint64_t> AuditIndex::catch_up() {
  std::lock_guard lock(mutex_);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < logs_.size(); ++i) {
    NANBYO_TRY(added, catch_up_log(i));
    total += added;
  }
  return total;
}

Result<std::uint64_t> AuditIndex::catch_up_log(std::size_t index) {
  const IndexedLog& log = logs_[index];
  NANBYO_TRY(files, audit::list_set(log.live));
  try {
    LogCursor c;
    {
      SQLite::Statement q(*db_,
                          "SELECT id, records, last_seq, last_hash, last_time, problem FROM logs "
                          "WHERE name = ?");
      q.bind(1, log.name);
      if (!q.executeStep()) return fail("the audit index lost its log " + log.name);
      c.id = q.getColumn(0).getInt64();
      c.records = static_cast<std::uint64_t>(q.getColumn(1).getInt64());
      c.last_seq = static_cast<std::uint64_t>(q.getColumn(2).getInt64());
      c.last_hash = q.getColumn(3).getString();
      if (!q.getColumn(4).isNull()) c.last_time = q.getColumn(4).getInt64();
      c.problem = q.getColumn(5).getString();
    }
    SQLite::Statement offset_of(*db_, "SELECT offset FROM files WHERE log = ? AND inode = ?");
    SQLite::Statement save_offset(
        *db_,
        "INSERT INTO files(log, inode, offset) VALUES(?, ?, ?) ON CONFLICT(log, inode) "
        "DO UPDATE SET offset = excluded.offset");
    SQLite::Statement insert(
        *db_,
        "INSERT INTO records(log, seq, time, event, outcome, actor, subject, source, user, "
        "hospital, terminal, terminal_name, family, severity, detail, hash, inode, offset) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    SQLite::Statement save_log(*db_,
                               "UPDATE logs SET records = ?, last_seq = ?, last_hash = ?, "
                               "last_time = ?, problem = ? WHERE id = ?");
    SQLite::Statement add_daily(
        *db_,
        "INSERT INTO daily(day, log, metric, count) VALUES(?, ?, ?, ?) "
        "ON CONFLICT(day, log, metric) DO UPDATE SET count = count + excluded.count");

    auto remember_offset = [&](std::int64_t inode, std::int64_t offset) {
      save_offset.bind(1, c.id);
      save_offset.bind(2, inode);
      save_offset.bind(3, offset);
      save_offset.exec();
      save_offset.reset();
    };
    std::uint64_t added = 0, in_transaction = 0;
    auto transaction = std::make_unique<SQLite::Transaction>(*db_);
    auto commit = [&] {
      for (const auto& [key, count] : c.daily) {
        add_daily.bind(1, std::get<0>(key));
        add_daily.bind(2, c.id);
        add_daily.bind(3, std::get<1>(key));
        add_daily.bind(4, static_cast<std::int64_t>(count));
        add_daily.exec();
        add_daily.reset();
      }
      c.daily.clear();
      save_log.bind(1, static_cast<std::int64_t>(c.records));
      save_log.bind(2, static_cast<std::int64_t>(c.last_seq));
      save_log.bind(3, c.last_hash);
      if (c.last_time) {
        save_log.bind(4, *c.last_time);
      } else {
        save_log.bind(4);
      }
      save_log.bind(5, c.problem);
      save_log.bind(6, c.id);
      save_log.exec();
      save_log.reset();
      transaction->commit();
      in_transaction = 0;
    };

    for (const auto& path : files) {
      audit::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
      if (!fd) continue;  // removed since the listing (retention)
      struct stat st {};
      if (::fstat(fd.get(), &st) != 0) continue;
      const auto inode = static_cast<std::int64_t>(st.st_ino);
      std::int64_t offset = 0;
      offset_of.bind(1, c.id);
      offset_of.bind(2, inode);
      if (offset_of.executeStep()) offset = offset_of.getColumn(0).getInt64();
      offset_of.reset();
      if (st.st_size < offset) {
        c.note_problem(path.filename().string() + " is shorter than when it was indexed (" +
                       std::to_string(offset) + " bytes): records were removed");
        offset = st.st_size;
      }
      if (st.st_size == offset) continue;
      if (::lseek(fd.get(), offset, SEEK_SET) != offset) continue;
      audit::LineReader reader(std::move(fd));
      std::string line;
      for (;;) {
        const auto status = reader.next(line);
        if (status == audit::LineReader::Status::kUnterminated) break;  // being written
        if (status != audit::LineReader::Status::kLine) {
          if (status == audit::LineReader::Status::kTooLong)
            c.note_problem(path.filename().string() + " byte " + std::to_string(offset) +
                           ": a line longer than the audit log allows");
          break;
        }
        const std::int64_t line_offset = offset;
        offset += static_cast<std::int64_t>(line.size()) + 1;
        auto parsed = audit::parse_record_line(line);
        if (!parsed) {
          c.note_problem(path.filename().string() + " byte " + std::to_string(line_offset) +
                         ": not a record (" + parsed.error().message + ")");
          continue;
        }
        const audit::AuditRecord& r = *parsed;
        if (!audit::hash_matches(line, r)) {
          c.note_problem(path.filename().string() + " seq " + std::to_string(r.seq) +
                         ": record edited (hash mismatch)");
        }
        if (!c.last_hash.empty() && r.prev != c.last_hash) {
          c.note_problem(path.filename().string() + " seq " + std::to_string(r.seq) +
                         ": does not follow seq " + std::to_string(c.last_seq) +
                         " (a record removed, inserted or reordered)");
        }
        const RecordFacets f = facets_of(r, log.writer);
        const std::int64_t time = r.time.time_since_epoch().count();
        insert.bind(1, c.id);
        insert.bind(2, static_cast<std::int64_t>(r.seq));
        insert.bind(3, time);
        insert.bind(4, r.event);
        insert.bind(5, static_cast<int>(r.outcome));
        insert.bind(6, r.actor);
        insert.bind(7, r.subject);
        insert.bind(8, r.source);
        bind_text_or_null(insert, 9, f.user);
        bind_text_or_null(insert, 10, f.hospital);
        bind_text_or_null(insert, 11, f.terminal);
        bind_text_or_null(insert, 12, f.terminal_name);
        bind_text_or_null(insert, 13, f.family);
        bind_text_or_null(insert, 14, f.severity);
        insert.bind(15, detail_json(r));
        insert.bind(16, r.hash);
        insert.bind(17, inode);
        insert.bind(18, line_offset);
        insert.exec();
        insert.reset();
        const std::string day = jst_day(time);
        for (auto& metric : daily_metrics_of(r, f)) ++c.daily[{day, std::move(metric)}];
        c.last_hash = r.hash;
        c.last_seq = r.seq;
        c.last_time = time;
        ++c.records;
        ++added;
        if (++in_transaction == kRecordsPerTransaction) {
          remember_offset(inode, offset);
          commit();
          transaction = std::make_unique<SQLite::Transaction>(*db_);
        }
      }
      remember_offset(inode, offset);
    }
    commit();
    return added;
  } catch (const SQLite::Exception& e) {
    return fail("the audit index cannot take " + log.name + "'s records: " + e.what());
  }
}

}  // namespace nanbyo::console
