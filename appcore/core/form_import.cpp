// FormService: upload of nanbyo-check batches (F-9). The batch opens only with
// the uploading user's own, valid key (a revoked key is refused by the
// registry); an outdated tool is refused naming the version needed; every form
// is re-read, re-validated and re-checked here (the client's check is not
// trusted) and imported all-or-nothing in its own savepoint. Chunks of forms
// commit together, and each imported item is remembered by (batch hash, item),
// so an interrupted upload leaves only whole forms and a re-upload imports the
// rest without duplicates.
//
// F-11: a municipality imports paper forms that were scanned and converted to
// XML outside the system (import_paper_xml: a plain XML file over the
// municipality's TLS session; municipal users hold no key file). The doctor
// signed the paper, so every readable form is registered at once (missing
// items listed, not refused), belongs to no hospital, gets an access key, and
// the importing administrator may open it (F-10). Both paths share
// import_forms: same re-check, chunks, savepoints and duplicate detection.
//
// Issue 18: an upload runs as a background job (web/import_jobs.h) and must not
// keep other users waiting. Reading, checking and staging the forms (sealing,
// indexing: form_import_stage.cpp, on a thread of its own) take no lock; only
// each chunk's transaction holds the database's write lock (a few
// milliseconds), released before the next, like the doctors' bulk import. The
// WAL's checkpoints run beside it (background_checkpoint.h).
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "appcore/check/batch.h"
#include "appcore/core/background_checkpoint.h"
#include "appcore/core/form_service_impl.h"
#include "appcore/core/parallel.h"
#include "pki/aead.h"
#include "pki/user_key_file.h"

namespace nanbyo::appcore {
namespace {

// Forms per transaction: small enough that the write lock is held for a few
// milliseconds (tests/bench/README.md, "Uploads as jobs").
constexpr std::size_t kChunk = 32;

std::string text_of(const forms::FormValues& values, const char* field) {
  auto it = values.find(field);
  return it == values.end() ? std::string() : it->second.text;
}

// WAL frames (4 KiB pages) after which the import settles the checkpoints, so
// the WAL starts over: about 2,800 forms, a 128 MiB WAL at most.
constexpr std::int64_t kSettleFrames = 32768;

// The forms connection commits without waiting for the disk while the chunks
// run, and leaves its checkpoints to BackgroundCheckpoint; the last chunk
// commits with synchronous=FULL, whose WAL sync makes every chunk before it
// durable (as the doctors' import, docs/appcore-data.md).
class RelaxedSync {
 public:
  explicit RelaxedSync(SQLite::Database& db) : db_(db) {
    db_.exec("PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0");
  }
  ~RelaxedSync() { restore(); }
  void restore() {
    if (relaxed_) db_.exec("PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=1000");
    relaxed_ = false;
  }
  RelaxedSync(const RelaxedSync&) = delete;
  RelaxedSync& operator=(const RelaxedSync&) = delete;

 private:
  SQLite::Database& db_;
  bool relaxed_ = true;
};

}  // namespace

Result<ImportOutcome> FormService::import_batch(const Principal& p, std::string_view sealed,
                                                const FormImportProgress& progress) {
  auto lease = impl_->read();
  NANBYO_TRY(u, impl_->actor(p));
  auto refuse = [&](Errc code, const std::string& text) {
    return impl_->deny(p, "form-import", "", fail(code, text));
  };
  if (sealed.size() > impl_->config.max_batch_bytes)
    return refuse(Errc::InvalidInput, "the file is too large");
  NANBYO_TRY_VOID(impl_->authorize(p, u, Action::FormUpload));
  const std::string hospital = p.hospital;  // the PC certificate's (authorization.h)
  auto key_id = pki::sealed_key_id(sealed);
  if (!key_id) return refuse(Errc::InvalidInput, "not a batch written by nanbyo-check");
  bool own_key = false;
  std::optional<Result<std::string>> plain;
  {
    auto writing = impl_->connections.write_lock();  // the key registry's connection
    auto info = impl_->key_registry->find(*key_id);
    own_key = info && info->user_id == u.user_id;
    if (own_key) plain.emplace(impl_->key_registry->open_sealed(sealed));
  }
  if (!own_key) return refuse(Errc::Forbidden, "the batch was not encrypted with your key file");
  if (!*plain)
    return refuse(Errc::Forbidden, "the batch cannot be opened: " + plain->error().message);
  auto batch = check::decode_batch(**plain);
  if (!batch) return refuse(Errc::InvalidInput, batch.error().message);
  auto cmp = check::compare_versions(batch->tool_version, impl_->config.minimum_tool_version);
  if (!cmp || *cmp < 0)
    return refuse(Errc::Conflict, "the batch was made by nanbyo-check " + batch->tool_version +
                                      "; version " + impl_->config.minimum_tool_version +
                                      " or newer is needed (install the latest check tool)");
  if (batch->user_id != u.user_id) return refuse(Errc::Forbidden, "the batch names another user");
  if (progress) progress(0, batch->forms.size());  // the total, before reading the forms

  std::vector<ImportCandidate> candidates(batch->forms.size());
  parallel_for(batch->forms.size(), [&](std::size_t i) {
    const check::BatchForm& in = batch->forms[i];
    ImportCandidate& c = candidates[i];
    c.file = in.file;
    c.ref = in.ref;
    c.definition = in.definition;
    // Re-read on the server: the client's check is not trusted.
    auto read = impl_->xml->read(in.xml);
    if (!read)
      c.reasons.push_back(read.error().message);
    else if (read->size() != 1 || read->front().definition != in.definition)
      c.reasons.push_back("the entry must hold exactly one form of " + in.definition);
    else
      c.form = std::move(read->front());
  });
  ImportMode mode;
  mode.hospital = hospital;
  mode.registers = is_doctor(role_from_string(u.role).value_or(Role::Clerk));
  mode.source = "xml-upload";
  mode.history_comment = "XML一括登録";
  auto out = impl_->import_forms(p, u, candidates, mode, aead::sha256(sealed), progress);
  if (!out) return out;
  out->tool_version = batch->tool_version;
  NANBYO_TRY_VOID(impl_->record(p, "form-import", "",
                                {{"tool-version", out->tool_version},
                                 {"imported", std::to_string(out->imported)},
                                 {"failed", std::to_string(out->failed)},
                                 {"already", std::to_string(out->already)}}));
  return out;
}

Result<ImportOutcome> FormService::import_paper_xml(const Principal& p,
                                                    const std::string& file_name,
                                                    std::string_view xml,
                                                    const FormImportProgress& progress) {
  auto lease = impl_->read();
  NANBYO_TRY(u, impl_->actor(p));
  auto refuse = [&](Errc code, const std::string& text) {
    return impl_->deny(p, "form-paper-import", "", fail(code, text));
  };
  NANBYO_TRY_VOID(impl_->authorize(p, u, Action::FormPaperImport));
  if (xml.size() > forms::kMaxXmlBytes) return refuse(Errc::InvalidInput, "the file is too large");
  auto read = impl_->xml->read(xml);
  if (!read) return refuse(Errc::InvalidInput, file_name + ": " + read.error().message);
  std::vector<ImportCandidate> candidates(read->size());
  for (std::size_t i = 0; i < read->size(); ++i) {
    ImportCandidate& c = candidates[i];
    c.file = file_name;
    c.ref = (*read)[i].ref;
    c.definition = (*read)[i].definition;
    c.form = std::move((*read)[i]);
  }
  ImportMode mode;
  mode.paper = true;
  mode.registers = true;
  mode.source = "paper-scan";
  mode.history_comment = "紙の個人票（電子化）取込";
  auto out = impl_->import_forms(p, u, candidates, mode, aead::sha256(xml), progress);
  if (!out) return out;
  NANBYO_TRY_VOID(impl_->record(p, "form-paper-import", "",
                                {{"file", file_name},
                                 {"imported", std::to_string(out->imported)},
                                 {"failed", std::to_string(out->failed)},
                                 {"already", std::to_string(out->already)}}));
  return out;
}

Result<ImportOutcome> FormService::Impl::import_forms(const Principal& p, const UserRow& u,
                                                      std::vector<ImportCandidate>& candidates,
                                                      const ImportMode& mode,
                                                      const std::string& content_hash,
                                                      const FormImportProgress& progress) {
  ImportOutcome out;
  const std::size_t total = candidates.size();
  out.items.resize(total);
  if (progress) progress(0, total);
  parallel_for(total, [&](std::size_t i) { prepare_import(candidates[i], out.items[i]); });
  NANBYO_TRY(first_signing, read_signing(u, mode));
  // Forms a re-upload imported before are not staged (each chunk checks again).
  const std::vector<std::string> imported = imported_forms(content_hash, 0, total);
  // The latest of the doctor's designations a chunk's transaction saw: chunks
  // staged after a change use it, those staged before are staged again.
  std::mutex signing_mutex;
  auto signing = std::make_shared<const SigningCache>(std::move(first_signing));
  std::vector<std::shared_ptr<const SigningCache>> staged_with((total + kChunk - 1) / kChunk);
  std::vector<StagedForm> staged(total);
  auto stage = [&](std::size_t i, const SigningCache& with) {
    if (candidates[i].reasons.empty() && imported[i].empty())
      staged[i] = stage_import(u, candidates[i], mode, with);
  };
  // A thread stages the chunks in order while this one stores them: the
  // machine's two cores each do half the work (form_import_stage.cpp).
  std::atomic<std::size_t> ready{0};
  std::atomic<bool> staging_failed{false};
  std::jthread stager([&](std::stop_token stop) {
    try {
      for (std::size_t start = 0; start < total && !stop.stop_requested(); start += kChunk) {
        const std::size_t end = std::min(start + kChunk, total);
        std::shared_ptr<const SigningCache> with;
        {
          std::lock_guard lock(signing_mutex);
          with = signing;
        }
        for (std::size_t i = start; i < end; ++i) stage(i, *with);
        staged_with[start / kChunk] = std::move(with);
        ready.store(end);
        ready.notify_one();
      }
    } catch (const std::exception&) {
      staging_failed = true;
      ready.store(total);
      ready.notify_one();
    }
  });
  try {
    BackgroundCheckpoint checkpoints(db->getFilename());
    RelaxedSync relaxed(*db);
    for (std::size_t start = 0; start < total; start += kChunk) {
      const std::size_t end = std::min(start + kChunk, total);
      for (auto r = ready.load(); r < end; r = ready.load()) ready.wait(r);
      if (staging_failed) return fail(Errc::Internal, "the forms could not be prepared");
      if (end == total) {  // the WAL copied, then the last commit syncs every chunk
        checkpoints.settle();
        relaxed.restore();
      }
      std::vector<audit::AuditEvent> events;
      {
        auto writing = connections.write_lock();
        SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
        // What the transaction sees decides: a designation ended meanwhile counts.
        auto now_signing = read_signing(u, mode);
        if (!now_signing) return now_signing.error();
        if (!same_signing(*now_signing, *staged_with[start / kChunk])) {
          auto fresh = std::make_shared<const SigningCache>(std::move(*now_signing));
          for (std::size_t i = start; i < end; ++i) stage(i, *fresh);
          std::lock_guard lock(signing_mutex);
          signing = std::move(fresh);
        }
        // What counts is what this transaction sees: another upload of the same
        // file may have imported some of these meanwhile.
        const auto before = imported_forms(content_hash, start, end);
        for (std::size_t i = start; i < end; ++i)
          store_import(p, u, candidates[i], staged[i], i, before[i - start], mode, content_hash,
                       out, events);
        tx.commit();
      }
      for (std::size_t i = start; i < end; ++i) staged[i] = {};  // stored; free the sealed rows
      checkpoints.nudge();
      if (checkpoints.wal_frames() > kSettleFrames) checkpoints.settle();
      // Per chunk, as soon as it is committed: one large append would hold the
      // audit log from other users' audited requests (tests/bench/README.md).
      if (!events.empty()) {
        auto r = audit.append(events);
        if (!r)
          return fail(Errc::Internal, "the audit log could not be written: " + r.error().message);
      }
      if (progress) progress(end, total);
    }
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal,
                std::string("storage: ") + e.what() +
                    " (forms of earlier chunks are imported; upload again for the rest)");
  }
  return out;
}

// The forms that items [first, end) of this upload became when it was
// imported before (a re-upload), "" for the others: one read per call.
std::vector<std::string> FormService::Impl::imported_forms(const std::string& content_hash,
                                                           std::size_t first, std::size_t end) {
  std::vector<std::string> forms(end - first);
  auto seen =
      statement("SELECT item, form_id FROM form_imports WHERE batch_hash=? AND item>=? AND item<?");
  seen->bind(1, content_hash.data(), static_cast<int>(content_hash.size()));
  seen->bind(2, static_cast<int64_t>(first));
  seen->bind(3, static_cast<int64_t>(end));
  while (seen->executeStep())
    forms[static_cast<std::size_t>(seen->getColumn(0).getInt64()) - first] =
        seen->getColumn(1).getString();
  return forms;
}

// Outside any lock: the result list's columns, the definition and the check
// (the reasons a form is refused, or the missing items of a draft).
void FormService::Impl::prepare_import(ImportCandidate& in, ImportItem& item) const {
  item.file = in.file;
  item.ref = in.ref;
  item.definition = in.definition;
  // The definition of the version the form states (issue 18 item 4).
  in.def = in.form ? in.form->def : nullptr;
  if (in.def) item.disease = in.def->title;
  if (in.form) {
    item.patient_name = text_of(in.form->values, "patient_name");
    item.written_on = text_of(in.form->values, "written_on");
    for (const auto& issue : in.form->issues)
      in.reasons.push_back(issue.field + ": " + issue.message);
  }
  if (!in.def && in.reasons.empty()) in.reasons.push_back("unknown form " + in.definition);
  if (in.def)
    if (auto accepted = catalog->accepts(*in.def, today()); !accepted)
      in.reasons.push_back(accepted.error().message);
  if (!in.reasons.empty()) return;
  in.messages = forms::check(*in.def, in.form->values);
  for (const auto& m : in.messages)
    if (m.severity == forms::CheckMessage::Severity::Error)
      in.reasons.push_back(m.field + ": " + m.text);
}

// One staged form, inside the chunk's transaction: skipped when this file's
// item was imported before (`imported_as`, read in that transaction), refused
// with reasons, or stored whole in its own savepoint.
void FormService::Impl::store_import(const Principal& p, const UserRow& u, ImportCandidate& in,
                                     StagedForm& staged, std::size_t index,
                                     const std::string& imported_as, const ImportMode& mode,
                                     const std::string& content_hash, ImportOutcome& out,
                                     std::vector<audit::AuditEvent>& events) {
  ImportItem& item = out.items[index];
  if (!imported_as.empty()) {
    item.form_id = imported_as;
    item.status = "already-imported";
    ++out.already;
    return;
  }
  if (!in.reasons.empty()) {
    item.reasons = std::move(in.reasons);
    ++out.failed;
    return;
  }
  if (!staged.mismatches.empty()) {
    item.reasons = std::move(staged.mismatches);
    ++out.failed;
    return;
  }
  if (staged.row.form_id.empty()) {  // imported when the upload began, and its mark gone since
    item.reasons = {"the form was not prepared for storing; upload the file again"};
    ++out.failed;
    return;
  }
  FormRow& row = staged.row;
  row.created_at = row.updated_at = now();
  if (row.status == "registered") row.registered_at = row.created_at;
  statement("SAVEPOINT form_item")->exec();
  try {
    auto saved = save(row);
    if (saved)
      saved = add_history(row.form_id, u.user_id, u.user_id, "", row.status, mode.history_comment);
    if (!saved) throw SQLite::Exception(saved.error().message);
    // The importing municipality keeps access to what it imported (F-10).
    if (mode.paper) grant(u.user_id, row.form_id);
    {
      auto mark = statement("INSERT INTO form_imports VALUES(?,?,?)");
      mark->bind(1, content_hash.data(), static_cast<int>(content_hash.size()));
      mark->bind(2, static_cast<int64_t>(index));
      mark->bind(3, row.form_id);
      mark->exec();
    }
    statement("RELEASE form_item")->exec();
    item.imported = true;
    item.form_id = row.form_id;
    item.status = row.status;
    item.access_key = std::move(staged.access_key);
    for (const auto& m : staged.messages) item.reasons.push_back(m.field + ": " + m.text);
    ++out.imported;
    events.push_back(
        event(p, "form-import-item", audit::Outcome::Allow, row.form_id,
              {{"definition", row.definition}, {"status", row.status}, {"source", row.source}}));
  } catch (const SQLite::Exception& e) {
    statement("ROLLBACK TO form_item")->exec();
    statement("RELEASE form_item")->exec();
    item.reasons = {std::string("storage: ") + e.what()};
    ++out.failed;
  }
}

}  // namespace nanbyo::appcore
