// A form's workflow history (F-6): route, status and comment of every step,
// read whole for the form screen and the API, or a page at a time in SQL over
// the table's primary key (form_id, seq) for the history screen (issue 18).
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <limits>

#include "appcore/core/form_service_impl.h"

namespace nanbyo::appcore {
namespace {

// The entries of `form_id` in seq order (or reversed), `limit` from `offset`.
Result<std::vector<WorkflowEntry>> read_history(FormService::Impl& impl, const std::string& form_id,
                                                bool newest_first, std::size_t limit,
                                                std::size_t offset) {
  std::vector<WorkflowEntry> out;
  try {
    SQLite::Statement q(
        *impl.db, std::string("SELECT seq, at, actor, from_user, to_user, status, comment_enc "
                              "FROM form_history WHERE form_id=? ORDER BY seq") +
                      (newest_first ? " DESC" : "") + " LIMIT ? OFFSET ?");
    q.bind(1, form_id);
    q.bind(2, static_cast<int64_t>(std::min<std::size_t>(
                  limit, static_cast<std::size_t>(std::numeric_limits<int64_t>::max()))));
    q.bind(3, static_cast<int64_t>(offset));
    while (q.executeStep()) {
      auto c = q.getColumn(6);
      std::string sealed(static_cast<const char*>(c.getBlob()),
                         static_cast<std::size_t>(c.getBytes()));
      NANBYO_TRY(text,
                 impl.keys.open("form_history", "comment",
                                form_id + "/" + std::to_string(q.getColumn(0).getInt()), sealed));
      out.push_back({q.getColumn(1).getString(), q.getColumn(2).getString(),
                     q.getColumn(3).getString(), q.getColumn(4).getString(),
                     q.getColumn(5).getString(), text});
    }
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("the form's history could not be read: ") + e.what());
  }
  return out;
}

}  // namespace

Result<std::vector<WorkflowEntry>> FormService::history(const Principal& p,
                                                        const std::string& form_id) {
  auto lease = impl_->read();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY(row, impl_->authorized(p, u, form_id, Action::FormHistory));
  NANBYO_TRY(out, read_history(*impl_, form_id, false, std::numeric_limits<int64_t>::max(), 0));
  NANBYO_TRY_VOID(impl_->record(p, "form-history", form_id));
  return out;
}

Result<HistoryPage> FormService::history_page(const Principal& p, const std::string& form_id,
                                              std::size_t page, std::size_t per_page,
                                              bool newest_first) {
  auto lease = impl_->read();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY(row, impl_->authorized(p, u, form_id, Action::FormHistory));
  HistoryPage out;
  out.per_page = std::clamp<std::size_t>(per_page, 10, 500);
  try {
    SQLite::Statement count(*impl_->db, "SELECT count(*) FROM form_history WHERE form_id=?");
    count.bind(1, form_id);
    count.executeStep();
    out.total = static_cast<std::size_t>(count.getColumn(0).getInt64());
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("the form's history could not be read: ") + e.what());
  }
  const std::size_t pages = std::max<std::size_t>(1, (out.total + out.per_page - 1) / out.per_page);
  out.page = std::clamp<std::size_t>(page, 1, pages);
  NANBYO_TRY(entries, read_history(*impl_, form_id, newest_first, out.per_page,
                                   (out.page - 1) * out.per_page));
  out.entries = std::move(entries);
  NANBYO_TRY_VOID(impl_->record(p, "form-history", form_id, {{"page", std::to_string(out.page)}}));
  return out;
}

}  // namespace nanbyo::appcore
