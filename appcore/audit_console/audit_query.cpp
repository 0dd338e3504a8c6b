// Searching the index (audit_index.h): filters become one WHERE clause that
// SQLite answers from the most selective index ending in time.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <variant>

#include "appcore/audit_console/audit_index.h"
#include "pki/audit/rotation.h"
#include "pki/audit/unique_fd.h"

namespace nanbyo::console {
namespace {

constexpr const char* kColumns =
    "r.id, l.name, r.seq, r.time, r.event, r.outcome, r.actor, r.subject, r.source, "
    "COALESCE(r.user, ''), COALESCE(r.hospital, ''), COALESCE(r.terminal, ''), "
    "COALESCE(r.terminal_name, ''), COALESCE(r.family, ''), COALESCE(r.severity, ''), r.detail, "
    "r.hash";

// The WHERE clause of a query and its values, bound in order.
struct Where {
  std::string sql = " WHERE 1";
  std::vector<std::variant<std::int64_t, std::string>> values;

  void text(const char* condition, const std::string& value) {
    if (value.empty()) return;
    sql += condition;
    values.emplace_back(value);
  }
  void number(const char* condition, std::int64_t value) {
    sql += condition;
    values.emplace_back(value);
  }
  void bind(SQLite::Statement& q) const {
    int i = 1;
    for (const auto& v : values) {
      if (std::holds_alternative<std::int64_t>(v)) {
        q.bind(i++, std::get<std::int64_t>(v));
      } else {
        q.bind(i++, std::get<std::string>(v));
      }
    }
  }
};

Where where_of(const AuditQuery& query, bool paged) {
  Where w;
  if (query.since) w.number(" AND r.time >= ?", *query.since);
  if (query.until) w.number(" AND r.time < ?", *query.until);
  w.text(" AND l.name = ?", query.log);
  w.text(" AND r.user = ?", query.user);
  w.text(" AND r.hospital = ?", query.hospital);
  if (!query.terminal.empty()) {
    w.sql += " AND (r.terminal = ? OR r.terminal_name = ?)";
    w.values.emplace_back(query.terminal);
    w.values.emplace_back(query.terminal);
  }
  w.text(" AND r.event = ?", query.event);
  if (query.outcome) w.number(" AND r.outcome = ?", static_cast<int>(*query.outcome));
  if (query.alerts_only) w.sql += " AND r.family IS NOT NULL";
  w.text(" AND r.family = ?", query.family);
  if (paged && query.before) {
    w.sql += " AND (r.time, r.id) < (?, ?)";
    w.values.emplace_back(query.before->first);
    w.values.emplace_back(query.before->second);
  }
  return w;
}

IndexedRecord read_record(SQLite::Statement& q) {
  IndexedRecord r;
  r.id = q.getColumn(0).getInt64();
  r.log = q.getColumn(1).getString();
  r.seq = static_cast<std::uint64_t>(q.getColumn(2).getInt64());
  r.time = q.getColumn(3).getInt64();
  r.event = q.getColumn(4).getString();
  r.outcome = static_cast<audit::Outcome>(q.getColumn(5).getInt());
  r.actor = q.getColumn(6).getString();
  r.subject = q.getColumn(7).getString();
  r.source = q.getColumn(8).getString();
  r.facets.user = q.getColumn(9).getString();
  r.facets.hospital = q.getColumn(10).getString();
  r.facets.terminal = q.getColumn(11).getString();
  r.facets.terminal_name = q.getColumn(12).getString();
  r.facets.family = q.getColumn(13).getString();
  r.facets.severity = q.getColumn(14).getString();
  r.facets.alert = !r.facets.family.empty();
  r.detail_json = q.getColumn(15).getString();
  r.hash = q.getColumn(16).getString();
  return r;
}

template <typename F>
auto guarded(const char* what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception& e) {
    return fail(std::string("the audit index cannot ") + what + ": " + e.what());
  }
}

}  // namespace

Result<SearchPage> AuditIndex::search(const AuditQuery& query) const {
  std::lock_guard lock(mutex_);
  return guarded("search", [&]() -> Result<SearchPage> {
    const Where w = where_of(query, true);
    SQLite::Statement q(*db_, std::string("SELECT ") + kColumns +
                                  " FROM records r JOIN logs l ON l.id = r.log" + w.sql +
                                  " ORDER BY r.time DESC, r.id DESC LIMIT ?");
    w.bind(q);
    q.bind(static_cast<int>(w.values.size()) + 1, static_cast<std::int64_t>(query.limit + 1));
    SearchPage page;
    while (q.executeStep()) page.records.push_back(read_record(q));
    if (page.records.size() > query.limit) {
      page.records.pop_back();
      page.more = true;
    }
    return page;
  });
}

Result<std::uint64_t> AuditIndex::count(const AuditQuery& query, std::uint64_t cap) const {
  std::lock_guard lock(mutex_);
  return guarded("count", [&]() -> Result<std::uint64_t> {
    const Where w = where_of(query, false);
    SQLite::Statement q(*db_,
                        "SELECT count(*) FROM (SELECT 1 FROM records r JOIN logs l ON l.id "
                        "= r.log" +
                            w.sql + " LIMIT ?)");
    w.bind(q);
    q.bind(static_cast<int>(w.values.size()) + 1, static_cast<std::int64_t>(cap));
    q.executeStep();
    return static_cast<std::uint64_t>(q.getColumn(0).getInt64());
  });
}

Result<std::optional<IndexedRecord>> AuditIndex::record(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  return guarded("read a record", [&]() -> Result<std::optional<IndexedRecord>> {
    SQLite::Statement q(*db_, std::string("SELECT ") + kColumns +
                                  " FROM records r JOIN logs l ON l.id = r.log WHERE r.id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::optional<IndexedRecord>();
    return std::optional<IndexedRecord>(read_record(q));
  });
}

Result<RecordOnFile> AuditIndex::read_from_file(std::int64_t id) const {
  std::string log_name, hash;
  std::int64_t inode = 0, offset = 0;
  {
    std::lock_guard lock(mutex_);
    auto found = guarded("find a record", [&]() -> Result<bool> {
      SQLite::Statement q(*db_,
                          "SELECT l.name, r.inode, r.offset, r.hash FROM records r JOIN logs l "
                          "ON l.id = r.log WHERE r.id = ?");
      q.bind(1, id);
      if (!q.executeStep()) return false;
      log_name = q.getColumn(0).getString();
      inode = q.getColumn(1).getInt64();
      offset = q.getColumn(2).getInt64();
      hash = q.getColumn(3).getString();
      return true;
    });
    if (!found) return found.error();
    if (!*found) return RecordOnFile{};
  }
  for (const auto& log : logs_) {
    if (log.name != log_name) continue;
    NANBYO_TRY(files, audit::list_set(log.live));
    for (const auto& path : files) {
      audit::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
      struct stat st {};
      if (!fd || ::fstat(fd.get(), &st) != 0 || static_cast<std::int64_t>(st.st_ino) != inode)
        continue;
      std::string line(audit::kMaxLineBytes, '\0');
      const ssize_t n = ::pread(fd.get(), line.data(), line.size(), offset);
      if (n <= 0) return RecordOnFile{};
      line.resize(static_cast<std::size_t>(n));
      line.resize(std::min(line.size(), line.find('\n')));
      auto parsed = audit::parse_record_line(line);
      const bool same = parsed && parsed->hash == hash && audit::hash_matches(line, *parsed);
      return RecordOnFile{same ? RecordOnFile::State::Same : RecordOnFile::State::Changed, line};
    }
  }
  return RecordOnFile{};
}

Result<std::vector<LogStatus>> AuditIndex::status() const {
  std::lock_guard lock(mutex_);
  return guarded("read its state", [&]() -> Result<std::vector<LogStatus>> {
    std::vector<LogStatus> out;
    for (const auto& log : logs_) {
      SQLite::Statement q(*db_,
                          "SELECT records, last_seq, last_hash, last_time, problem FROM logs "
                          "WHERE name = ?");
      q.bind(1, log.name);
      if (!q.executeStep()) continue;
      LogStatus s;
      s.name = log.name;
      s.live = log.live;
      s.records = static_cast<std::uint64_t>(q.getColumn(0).getInt64());
      s.last_seq = static_cast<std::uint64_t>(q.getColumn(1).getInt64());
      s.last_hash = q.getColumn(2).getString();
      if (!q.getColumn(3).isNull()) s.last_time = q.getColumn(3).getInt64();
      s.problem = q.getColumn(4).getString();
      out.push_back(std::move(s));
    }
    return out;
  });
}

Result<std::vector<DailyCount>> AuditIndex::daily(const std::string& first_day) const {
  std::lock_guard lock(mutex_);
  return guarded("count by day", [&]() -> Result<std::vector<DailyCount>> {
    SQLite::Statement q(*db_,
                        "SELECT day, metric, sum(count) FROM daily WHERE day >= ? "
                        "GROUP BY day, metric ORDER BY day, metric");
    q.bind(1, first_day);
    std::vector<DailyCount> out;
    while (q.executeStep()) {
      out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                     static_cast<std::uint64_t>(q.getColumn(2).getInt64())});
    }
    return out;
  });
}

Result<std::vector<std::string>> AuditIndex::families() const {
  std::lock_guard lock(mutex_);
  return guarded("list alert families", [&]() -> Result<std::vector<std::string>> {
    // From the daily counters: a handful of rows, not a scan of the records.
    SQLite::Statement q(*db_,
                        "SELECT DISTINCT substr(metric, 7) FROM daily WHERE metric LIKE 'alert:%' "
                        "ORDER BY 1");
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  });
}

}  // namespace nanbyo::console
