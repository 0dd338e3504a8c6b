// The kept results of forms uploads (issue 18 item 7; F-9, F-11). A job's
// per-file results used to live in the web process only and were lost on a
// restart; they are kept here for FormServiceConfig::upload_retention, bound
// to the uploader and the hospital (or municipality) the upload came from, and
// sealed under the data key like the forms (S-5): patients' names, file names
// and access keys never reach the database in clear. Old jobs are forgotten
// whenever a new one is kept.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "appcore/core/form_import_result.h"
#include "appcore/core/form_service_impl.h"

namespace nanbyo::appcore {
namespace {

constexpr const char* kJobColumns =
    "job_id, kind, finished_at, imported, failed, already, detail_enc FROM form_upload_jobs";

// Whose uploads these are: a hospital user's at the PC certificate's hospital (the forms
// went there), a municipality's at the municipality whichever PC it uses.
std::string upload_scope(const Principal& p, const UserRow& u) {
  return is_hospital_role(p.role) ? "hospital:" + p.hospital : "municipality:" + u.municipality;
}

std::string blob_of(const SQLite::Column& c) {
  return {static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes())};
}

Result<nlohmann::json> open_sealed_json(const KeyHierarchy& keys, const char* table,
                                        const char* column, const std::string& row,
                                        const std::string& sealed) {
  NANBYO_TRY(text, keys.open(table, column, row, sealed));
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return fail(Errc::Internal, "a kept upload result is unreadable");
  return j;
}

// A job row read with kJobColumns.
Result<UploadRecord> job_from_row(const KeyHierarchy& keys, SQLite::Statement& q) {
  UploadRecord r;
  r.job_id = q.getColumn(0).getString();
  r.kind = q.getColumn(1).getString();
  r.finished_at = q.getColumn(2).getString();
  r.outcome.imported = static_cast<std::size_t>(q.getColumn(3).getInt64());
  r.outcome.failed = static_cast<std::size_t>(q.getColumn(4).getInt64());
  r.outcome.already = static_cast<std::size_t>(q.getColumn(5).getInt64());
  NANBYO_TRY(detail, open_sealed_json(keys, "form_upload_jobs", "detail", r.job_id,
                                      blob_of(q.getColumn(6))));
  r.file_name = detail.value("file_name", "");
  r.error = detail.value("error", "");
  r.outcome.tool_version = detail.value("tool_version", "");
  return r;
}

}  // namespace

Result<void> FormService::keep_upload(const Principal& p, const UploadRecord& record) {
  auto lease = impl_->write();
  NANBYO_TRY(u, impl_->actor(p));
  if (record.job_id.empty() || record.job_id.size() > 64)
    return fail(Errc::InvalidInput, "an upload needs its job id");
  const auto& keys = impl_->keys;
  const std::string cutoff = format_utc(impl_->clock.now() - impl_->config.upload_retention);
  const std::string detail = keys.seal("form_upload_jobs", "detail", record.job_id,
                                       nlohmann::json{{"file_name", record.file_name},
                                                      {"error", record.error},
                                                      {"tool_version", record.outcome.tool_version}}
                                           .dump());
  try {
    SQLite::Transaction tx(*impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement purge_items(*impl_->db,
                                  "DELETE FROM form_upload_items WHERE job_id IN (SELECT job_id "
                                  "FROM form_upload_jobs WHERE finished_at < ?)");
    purge_items.bind(1, cutoff);
    purge_items.exec();
    SQLite::Statement purge(*impl_->db, "DELETE FROM form_upload_jobs WHERE finished_at < ?");
    purge.bind(1, cutoff);
    purge.exec();
    SQLite::Statement job(*impl_->db, "INSERT INTO form_upload_jobs VALUES(?,?,?,?,?,?,?,?,?)");
    job.bind(1, record.job_id);
    job.bind(2, u.user_id);
    job.bind(3, upload_scope(p, u));
    job.bind(4, record.kind);
    job.bind(5, impl_->now());
    job.bind(6, static_cast<int64_t>(record.outcome.imported));
    job.bind(7, static_cast<int64_t>(record.outcome.failed));
    job.bind(8, static_cast<int64_t>(record.outcome.already));
    job.bind(9, detail.data(), static_cast<int>(detail.size()));
    job.exec();
    SQLite::Statement item(*impl_->db, "INSERT INTO form_upload_items VALUES(?,?,?)");
    for (std::size_t n = 0; n < record.outcome.items.size(); ++n) {
      const std::string sealed =
          keys.seal("form_upload_items", "item", record.job_id + "/" + std::to_string(n),
                    import_item_to_json(record.outcome.items[n]).dump());
      item.bind(1, record.job_id);
      item.bind(2, static_cast<int64_t>(n));
      item.bind(3, sealed.data(), static_cast<int>(sealed.size()));
      item.exec();
      item.reset();
    }
    tx.commit();
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("the upload's results could not be kept: ") + e.what());
  }
  return impl_->record(
      p, "form-import-kept", record.job_id,
      {{"kind", record.kind}, {"items", std::to_string(record.outcome.items.size())}});
}

Result<UploadRecord> FormService::upload_record(const Principal& p, const std::string& job_id) {
  auto lease = impl_->read();
  NANBYO_TRY(u, impl_->actor(p));
  const std::string cutoff = format_utc(impl_->clock.now() - impl_->config.upload_retention);
  UploadRecord r;
  bool found = false;
  try {
    SQLite::Statement q(*impl_->db, std::string("SELECT ") + kJobColumns +
                                        " WHERE job_id=? AND owner=? AND scope=? AND "
                                        "finished_at >= ?");
    q.bind(1, job_id);
    q.bind(2, u.user_id);
    q.bind(3, upload_scope(p, u));
    q.bind(4, cutoff);
    if (q.executeStep()) {
      NANBYO_TRY(job, job_from_row(impl_->keys, q));
      r = std::move(job);
      found = true;
    }
    if (found) {
      SQLite::Statement items(*impl_->db,
                              "SELECT item, item_enc FROM form_upload_items WHERE job_id=? "
                              "ORDER BY item");
      items.bind(1, job_id);
      while (items.executeStep()) {
        NANBYO_TRY(j, open_sealed_json(impl_->keys, "form_upload_items", "item",
                                       job_id + "/" + items.getColumn(0).getString(),
                                       blob_of(items.getColumn(1))));
        r.outcome.items.push_back(import_item_from_json(j));
      }
    }
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("the upload's results could not be read: ") + e.what());
  }
  // Someone else's job answers like an unknown one, so ids cannot be probed.
  if (!found) return fail(Errc::NotFound, "no such upload");
  NANBYO_TRY_VOID(impl_->record(p, "form-import-result", job_id, {{"kind", r.kind}}));
  return r;
}

Result<std::vector<UploadRecord>> FormService::recent_uploads(const Principal& p,
                                                              const std::string& kind,
                                                              std::size_t limit) {
  auto lease = impl_->read();
  NANBYO_TRY(u, impl_->actor(p));
  const std::string cutoff = format_utc(impl_->clock.now() - impl_->config.upload_retention);
  std::vector<UploadRecord> out;
  try {
    SQLite::Statement q(*impl_->db, std::string("SELECT ") + kJobColumns +
                                        " WHERE owner=? AND kind=? AND scope=? AND "
                                        "finished_at >= ? ORDER BY finished_at DESC, job_id "
                                        "LIMIT ?");
    q.bind(1, u.user_id);
    q.bind(2, kind);
    q.bind(3, upload_scope(p, u));
    q.bind(4, cutoff);
    q.bind(5, static_cast<int64_t>(limit));
    while (q.executeStep()) {
      NANBYO_TRY(job, job_from_row(impl_->keys, q));
      out.push_back(std::move(job));
    }
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("the uploads could not be listed: ") + e.what());
  }
  return out;
}

}  // namespace nanbyo::appcore
