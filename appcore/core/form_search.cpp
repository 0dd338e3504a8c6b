// The forms list (F-12, issue 18): the criteria as one WHERE clause over the
// forms a user may see (the hospitals they work at), plain columns compared as
// they are, personal ones through their blind indexes; the list ordered by a
// column and cut into pages as the seed's 検索結果 shows them (表示件数/頁).
#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "appcore/core/form_service_impl.h"
#include "appcore/core/work_hospitals.h"

namespace nanbyo::appcore {
namespace {

struct SearchSql {
  std::string where;
  std::vector<std::string> texts;  // bound first, in order
  std::vector<std::string> blobs;  // then these
  void bind(SQLite::Statement& q) const {
    int i = 1;
    for (const auto& t : texts) q.bind(i++, t);
    for (const auto& b : blobs) q.bind(i++, b.data(), static_cast<int>(b.size()));
  }
};

// The ORDER BY of a sort key; unknown keys sort as the default (newest change first).
std::string order_of(const FormSearch& s) {
  static const std::pair<const char*, const char*> kColumns[] = {
      {"updated", "updated_at"}, {"created", "created_at"}, {"registered", "registered_at"},
      {"disease", "definition"}, {"status", "status"},
  };
  std::string column = "updated_at";
  for (const auto& [key, name] : kColumns) {
    if (s.sort == key) column = name;
  }
  const char* direction = s.ascending ? " ASC" : " DESC";
  return " ORDER BY " + column + direction + ", form_id" + direction;
}

// The forms `s` asks for among those of `hospitals`; `blind_index(purpose, value)` is the
// key hierarchy's.
template <typename BlindIndex>
SearchSql search_sql(const BlindIndex& blind_index, const std::vector<std::string>& hospitals,
                     const FormSearch& s) {
  SearchSql q;
  q.where = " WHERE hospital IN (";
  for (std::size_t i = 0; i < hospitals.size(); ++i) q.where += i ? ",?" : "?";
  q.where += ")";
  q.texts = hospitals;
  auto text = [&](const std::string& v, const char* clause) {
    if (!v.empty()) q.where += clause, q.texts.push_back(v);
  };
  text(s.definition, " AND definition=?");
  if (!s.definitions.empty()) {
    q.where += " AND definition IN (";
    for (std::size_t i = 0; i < s.definitions.size(); ++i) q.where += i ? ",?" : "?";
    q.where += ")";
    q.texts.insert(q.texts.end(), s.definitions.begin(), s.definitions.end());
  }
  text(s.status, " AND status=?");
  text(s.assigned_doctor, " AND assigned_doctor=?");
  text(s.application_type, " AND application_type=?");
  text(s.source, " AND source=?");
  text(s.updated_from, " AND substr(updated_at,1,10)>=?");
  text(s.updated_to, " AND substr(updated_at,1,10)<=?");
  auto idx = [&](const std::string& v, const char* purpose, const char* clause) {
    if (!v.empty()) q.where += clause, q.blobs.push_back(blind_index(purpose, v));
  };
  idx(s.insured_number, "form-insured", " AND idx_insured=?");
  idx(s.patient_kana, "form-kana", " AND idx_kana=?");
  idx(s.birth_date, "form-birth", " AND idx_birth=?");
  idx(s.sex, "form-sex", " AND idx_sex=?");
  if (!s.access_key.empty()) {
    std::string k = normalize_access_key(s.access_key);
    q.where += " AND access_index=?";
    q.blobs.push_back(blind_index("access-key", k.empty() ? "-" : k));
  }
  return q;
}

}  // namespace

Result<FormPage> FormService::search_page(const Principal& p, const FormSearch& s) {
  auto lease = impl_->read();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY_VOID(impl_->authorize(p, u, Action::FormSearch));
  NANBYO_TRY(hospitals, work_hospitals(*impl_->store, u, impl_->today()));
  const auto blind_index = [this](const char* purpose, const std::string& value) {
    return impl_->keys.blind_index(purpose, value);
  };
  const SearchSql sql = search_sql(blind_index, hospitals, s);
  FormPage page;
  page.per_page = std::clamp<std::size_t>(s.per_page, 10, 500);
  page.page = std::max<std::size_t>(s.page, 1);
  std::vector<std::string> ids;
  try {
    SQLite::Statement count(*impl_->db, "SELECT count(*) FROM forms" + sql.where);
    sql.bind(count);
    count.executeStep();
    page.total = static_cast<std::size_t>(count.getColumn(0).getInt64());
    // A page past the end shows the last one.
    const std::size_t pages =
        std::max<std::size_t>(1, (page.total + page.per_page - 1) / page.per_page);
    page.page = std::min(page.page, pages);
    SQLite::Statement q(*impl_->db, "SELECT form_id FROM forms" + sql.where + order_of(s) +
                                        " LIMIT " + std::to_string(page.per_page) + " OFFSET " +
                                        std::to_string((page.page - 1) * page.per_page));
    sql.bind(q);
    while (q.executeStep()) ids.push_back(q.getColumn(0).getString());
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("the forms list could not be read: ") + e.what());
  }
  for (const auto& id : ids) {
    NANBYO_TRY(row, impl_->load(id));
    NANBYO_TRY(sum, impl_->summary_of(*row));
    page.rows.push_back(std::move(sum));
  }
  NANBYO_TRY_VOID(impl_->record(p, "form-search", "",
                                {{"results", std::to_string(page.rows.size())},
                                 {"total", std::to_string(page.total)},
                                 {"page", std::to_string(page.page)}}));
  return page;
}

Result<std::vector<FormSummary>> FormService::search(const Principal& p, const FormSearch& s) {
  FormSearch first = s;
  first.page = 1;
  first.per_page = 500;  // the API's list, as before the pages
  first.sort = "updated";
  first.ascending = false;
  NANBYO_TRY(page, search_page(p, first));
  return std::move(page.rows);
}

}  // namespace nanbyo::appcore
