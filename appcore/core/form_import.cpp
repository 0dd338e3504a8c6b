// FormService: upload of nanbyo-check batches (F-9). The batch opens only with
// the uploading user's own, valid key (a revoked key is refused by the
// registry); an outdated tool is refused naming the version needed; every form
// is re-read, re-validated and re-checked here (the client's check is not
// trusted) and imported all-or-nothing in its own savepoint. Chunks of forms
// commit together, and each imported item is remembered by (batch hash, item),
// so an interrupted upload leaves only whole forms and a re-upload imports the
// rest without duplicates.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "appcore/check/batch.h"
#include "appcore/core/form_service_impl.h"
#include "pki/aead.h"
#include "pki/user_key_file.h"

namespace nanbyo::appcore {
namespace {

constexpr std::size_t kChunk = 500;

bool is_form_doctor(Role r) {
  return r == Role::NanbyoDoctor || r == Role::CooperatingDoctor || r == Role::PediatricDoctor;
}

}  // namespace

Result<ImportOutcome> FormService::import_batch(const Principal& p, std::string_view sealed) {
  std::lock_guard lock(impl_->mutex);
  NANBYO_TRY(u, impl_->actor(p));
  auto refuse = [&](Errc code, const std::string& text) {
    return impl_->deny(p, "form-import", "", fail(code, text));
  };
  if (sealed.size() > impl_->config.max_batch_bytes)
    return refuse(Errc::InvalidInput, "the file is too large");
  auto hospital = impl_->work_hospital(p, u);
  if (!hospital) return impl_->deny(p, "form-import", "", hospital.error());
  auto key_id = pki::sealed_key_id(sealed);
  if (!key_id) return refuse(Errc::InvalidInput, "not a batch written by nanbyo-check");
  auto info = impl_->key_registry->find(*key_id);
  if (!info || info->user_id != u.user_id)
    return refuse(Errc::Forbidden, "the batch was not encrypted with your key file");
  auto plain = impl_->key_registry->open_sealed(sealed);
  if (!plain)
    return refuse(Errc::Forbidden, "the batch cannot be opened: " + plain.error().message);
  auto batch = check::decode_batch(*plain);
  if (!batch) return refuse(Errc::InvalidInput, batch.error().message);
  auto cmp = check::compare_versions(batch->tool_version, impl_->config.minimum_tool_version);
  if (!cmp || *cmp < 0)
    return refuse(Errc::Conflict, "the batch was made by nanbyo-check " + batch->tool_version +
                                      "; version " + impl_->config.minimum_tool_version +
                                      " or newer is needed (install the latest check tool)");
  if (batch->user_id != u.user_id) return refuse(Errc::Forbidden, "the batch names another user");

  const bool doctor = is_form_doctor(role_from_string(u.role).value_or(Role::Clerk));
  const std::string batch_hash = aead::sha256(sealed);
  ImportOutcome out;
  out.tool_version = batch->tool_version;
  out.items.resize(batch->forms.size());
  SQLite::Database& db = *impl_->db;
  for (std::size_t start = 0; start < batch->forms.size(); start += kChunk) {
    std::vector<audit::AuditEvent> events;
    try {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      for (std::size_t i = start; i < std::min(start + kChunk, batch->forms.size()); ++i) {
        const check::BatchForm& in = batch->forms[i];
        ImportItem& item = out.items[i];
        item.file = in.file;
        item.ref = in.ref;
        item.definition = in.definition;
        SQLite::Statement seen(db,
                               "SELECT form_id FROM form_imports WHERE batch_hash=? AND item=?");
        seen.bind(1, batch_hash.data(), static_cast<int>(batch_hash.size()));
        seen.bind(2, static_cast<int64_t>(i));
        if (seen.executeStep()) {
          item.form_id = seen.getColumn(0).getString();
          item.status = "already-imported";
          ++out.already;
          continue;
        }
        auto read = impl_->xml->read(in.xml);
        std::vector<std::string> reasons;
        if (!read)
          reasons.push_back(read.error().message);
        else if (read->size() != 1 || read->front().definition != in.definition)
          reasons.push_back("the entry must hold exactly one form of " + in.definition);
        else
          for (const auto& issue : read->front().issues)
            reasons.push_back(issue.field + ": " + issue.message);
        const forms::FormDefinition* def = impl_->definition(in.definition);
        if (!def) reasons.push_back("unknown form " + in.definition);
        std::vector<forms::CheckMessage> messages;
        if (reasons.empty()) {
          messages = forms::check(*def, read->front().values);
          for (const auto& m : messages)
            if (m.severity == forms::CheckMessage::Severity::Error)
              reasons.push_back(m.field + ": " + m.text);
        }
        if (!reasons.empty()) {
          item.reasons = std::move(reasons);
          ++out.failed;
          continue;
        }
        db.exec("SAVEPOINT form_item");
        try {
          forms::FormValues values = read->front().values;
          FormRow row;
          row.form_id = impl_->new_form_id();
          row.definition = def->id;
          row.hospital = *hospital;
          row.created_by = u.user_id;
          row.source = "xml-upload";
          row.created_at = row.updated_at = impl_->now();
          const bool complete = messages.empty();
          row.status = doctor && complete ? "registered" : "draft";
          if (row.status == "registered") {
            forms::apply_calculations(*def, values);
            row.assigned_doctor = u.user_id;
            row.registered_at = row.created_at;
          }
          impl_->set_contents(row, *def, values);
          if (row.status == "registered") item.access_key = impl_->issue_access_key(row);
          auto saved = impl_->save(row);
          if (saved)
            saved = impl_->add_history(row.form_id, u.user_id, u.user_id, "", row.status,
                                       "XML一括登録");
          if (!saved) throw SQLite::Exception(saved.error().message);
          SQLite::Statement mark(db, "INSERT INTO form_imports VALUES(?,?,?)");
          mark.bind(1, batch_hash.data(), static_cast<int>(batch_hash.size()));
          mark.bind(2, static_cast<int64_t>(i));
          mark.bind(3, row.form_id);
          mark.exec();
          db.exec("RELEASE form_item");
          item.imported = true;
          item.form_id = row.form_id;
          item.status = row.status;
          for (const auto& m : messages) item.reasons.push_back(m.field + ": " + m.text);
          ++out.imported;
          events.push_back(impl_->event(p, "form-import-item", audit::Outcome::Allow, row.form_id,
                                        {{"definition", def->id}, {"status", row.status}}));
        } catch (const SQLite::Exception& e) {
          db.exec("ROLLBACK TO form_item");
          db.exec("RELEASE form_item");
          item.reasons = {std::string("storage: ") + e.what()};
          item.access_key.clear();
          ++out.failed;
        }
      }
      tx.commit();
    } catch (const SQLite::Exception& e) {
      return fail(Errc::Internal,
                  std::string("storage: ") + e.what() +
                      " (forms of earlier chunks are imported; upload again for the rest)");
    }
    if (!events.empty()) {
      auto r = impl_->audit.append(events);
      if (!r)
        return fail(Errc::Internal, "the audit log could not be written: " + r.error().message);
    }
  }
  NANBYO_TRY_VOID(impl_->record(p, "form-import", "",
                                {{"tool-version", out.tool_version},
                                 {"imported", std::to_string(out.imported)},
                                 {"failed", std::to_string(out.failed)},
                                 {"already", std::to_string(out.already)}}));
  return out;
}

}  // namespace nanbyo::appcore
