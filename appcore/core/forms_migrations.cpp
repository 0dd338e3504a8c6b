// Tables of the forms (issue 6), versioned like sqlite_migrations.cpp but in
// their own list and table, append only.

#include <array>

#include "appcore/core/form_service_impl.h"
#include "appcore/core/sqlite_migrations.h"

namespace nanbyo::appcore::detail {
namespace {

constexpr std::array<Migration, 3> kFormMigrations{{
    {1, R"sql(
CREATE TABLE forms(
  form_id TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  def_version TEXT NOT NULL,
  hospital TEXT NOT NULL,
  assigned_doctor TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  status TEXT NOT NULL,
  parent_id TEXT NOT NULL DEFAULT '',
  application_type TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  data_enc BLOB NOT NULL,
  judgment_enc BLOB NOT NULL,
  summary_enc BLOB NOT NULL,
  municipality_enc BLOB NOT NULL DEFAULT x'',
  idx_insured BLOB, idx_kana BLOB, idx_birth BLOB, idx_sex BLOB,
  access_index BLOB UNIQUE,
  access_enc BLOB NOT NULL DEFAULT x'',
  certification TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, registered_at TEXT NOT NULL DEFAULT '');
CREATE INDEX forms_by_hospital ON forms(hospital, updated_at);
CREATE INDEX forms_by_insured ON forms(idx_insured);
CREATE INDEX forms_by_kana ON forms(idx_kana);
CREATE TABLE form_history(
  form_id TEXT NOT NULL REFERENCES forms(form_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
  from_user TEXT NOT NULL, to_user TEXT NOT NULL, status TEXT NOT NULL,
  comment_enc BLOB NOT NULL,
  PRIMARY KEY(form_id, seq));
CREATE TABLE form_grants(
  user_id TEXT NOT NULL, form_id TEXT NOT NULL REFERENCES forms(form_id) ON DELETE CASCADE,
  granted_at TEXT NOT NULL, PRIMARY KEY(user_id, form_id));
CREATE TABLE access_key_lookups(user_id TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX access_key_lookups_by_user ON access_key_lookups(user_id, at);
CREATE TABLE form_imports(
  batch_hash BLOB NOT NULL, item INTEGER NOT NULL, form_id TEXT NOT NULL,
  PRIMARY KEY(batch_hash, item));
)sql"},
    // Issue 18: a doctor's approvals list (承認待ち一覧) in pages, read by the index.
    {2, R"sql(
CREATE INDEX forms_by_doctor ON forms(assigned_doctor, status, updated_at);
)sql"},
    // Issue 18 item 7: the results of the XML batch upload (F-9) and the paper
    // import (F-11) outlive a restart; sealed per row like the forms (S-5).
    {3, R"sql(
CREATE TABLE form_upload_jobs(
  job_id TEXT PRIMARY KEY,
  owner TEXT NOT NULL, scope TEXT NOT NULL, kind TEXT NOT NULL, finished_at TEXT NOT NULL,
  imported INTEGER NOT NULL, failed INTEGER NOT NULL, already INTEGER NOT NULL,
  detail_enc BLOB NOT NULL);
CREATE INDEX form_upload_jobs_by_owner ON form_upload_jobs(owner, kind, finished_at);
CREATE INDEX form_upload_jobs_by_age ON form_upload_jobs(finished_at);
CREATE TABLE form_upload_items(
  job_id TEXT NOT NULL REFERENCES form_upload_jobs(job_id) ON DELETE CASCADE,
  item INTEGER NOT NULL, item_enc BLOB NOT NULL,
  PRIMARY KEY(job_id, item));
)sql"},
}};

}  // namespace

Result<void> migrate_forms(SQLite::Database& db) {
  return apply_migrations(db, "forms_schema_migrations", kFormMigrations, "forms tables");
}

}  // namespace nanbyo::appcore::detail
