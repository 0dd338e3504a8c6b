// FormService's private state and the helpers its flow files share (internal).
// The forms tables live in the appcore database but are migrated by their own
// list (forms_migrations.cpp, table forms_schema_migrations) so the forms code
// never edits the users' migration list.
#pragma once

#include <SQLiteCpp/Database.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "appcore/core/authorization.h"
#include "appcore/core/connection_pool.h"
#include "appcore/core/designation.h"
#include "appcore/core/forms_api.h"
#include "appcore/core/key_hierarchy.h"
#include "appcore/core/store.h"
#include "appcore/forms/xml.h"
#include "pki/user_key_registry.h"

namespace nanbyo::appcore {

struct FormRow {
  std::string form_id, definition, def_version, hospital, assigned_doctor, created_by, status;
  std::string parent_id, application_type, source;
  std::string data_enc, judgment_enc, summary_enc, municipality_enc;  // sealed JSON
  std::string idx_insured, idx_kana, idx_birth, idx_sex;              // blind indexes
  std::string access_index, access_enc;
  std::string certification, created_at, updated_at, registered_at;
};

// One form of an upload, read from its XML, or the reasons it could not be.
struct ImportCandidate {
  std::string file, ref, definition;
  std::optional<forms::XmlForm> form;
  std::vector<std::string> reasons;
  // Filled by prepare_import outside the write lock.
  const forms::FormDefinition* def = nullptr;
  std::vector<forms::CheckMessage> messages;
};

// The 医療機関情報 a registering doctor's forms are filled with (form_signer.cpp).
struct SignedItems {
  std::string doctor_name, doctor_number, hospital_name, hospital_address;
  bool operator==(const SignedItems&) const = default;
};

// What registration reads of the uploading doctor (form_import_stage.cpp): read
// once before an import's forms are staged, and again in every chunk's
// transaction, which restages its forms if it differs (a designation ended).
struct SigningCache {
  std::map<std::pair<Program, bool>, std::pair<Result<bool>, std::string>>
      may_sign;                                      // program, renewal: allowed, or why not
  std::map<std::string, Result<SignedItems>> facts;  // by definition kind (nanbyo, shoman)
};
bool same_signing(const SigningCache& a, const SigningCache& b);

// The designation that signs a form (医療意見書: 小慢, the others: 難病) and
// whether the form is a renewal (form_service.cpp).
Program signing_program(const forms::FormDefinition& def);
bool is_renewal(const forms::FormValues& values);

// A form made ready outside the write lock (form_import_stage.cpp): checked,
// filled, sealed, indexed and, when it registers, given its access key. The
// chunk's transaction only stores it.
struct StagedForm {
  FormRow row;
  std::string access_key;
  std::vector<forms::CheckMessage> messages;  // listed with the result
  std::vector<std::string> mismatches;        // 医療機関情報 unlike the designation: refused
};

// Where imported forms go and what they become.
struct ImportMode {
  std::string hospital;    // "" for a municipality's paper forms
  bool registers = false;  // a doctor's complete forms (or every paper form) are registered
  bool paper = false;  // F-11: registered even with missing items; the importer is granted access
  std::string source, history_comment;
};

// A prepared statement the service keeps; reset (its read cursor released) when
// the guard goes out of scope.
class CachedStatement {
 public:
  explicit CachedStatement(SQLite::Statement& s) : s_(s) {}
  ~CachedStatement() { s_.tryReset(); }
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  SQLite::Statement& operator*() { return s_; }
  SQLite::Statement* operator->() { return &s_; }

 private:
  SQLite::Statement& s_;
};

namespace detail {
Result<void> migrate_forms(SQLite::Database& db);
}

// One connection set of a FormService call: the users' Store and the forms
// tables' connection with its prepared statements.
struct FormConnection {
  std::unique_ptr<Store> store;
  std::unique_ptr<SQLite::Database> db;
  // The statements of the import loop and the row writes, prepared once: preparing
  // them anew was a quarter of an upload's CPU (tests/bench/README.md, Forms).
  std::map<std::string, std::unique_ptr<SQLite::Statement>> statements;
};

struct FormService::Impl {
  FormServiceConfig config;
  const Clock& clock;
  audit::AuditSink& audit;
  // Like AppCore (core_impl.h): every call leases a connection set with read()
  // or write(); writes share the database's write lock with AppCore.
  ConnectionPool<FormConnection> connections;
  Leased<FormConnection, Store> store{connections,
                                      [](FormConnection& c) -> Store& { return *c.store; }};
  Leased<FormConnection, SQLite::Database> db{
      connections, [](FormConnection& c) -> SQLite::Database& { return *c.db; }};
  ConnectionPool<FormConnection>::Lease read() { return {connections, false}; }
  ConnectionPool<FormConnection>::Lease write() { return {connections, true}; }
  KeyHierarchy keys;
  // pki UserKeyRegistry's own connection: used only under the write lock.
  std::unique_ptr<SQLite::Database> key_db;
  std::unique_ptr<pki::UserKeyRegistry> key_registry;
  std::shared_ptr<const forms::FormCatalog> catalog;
  std::shared_ptr<const forms::XmlFormReader> xml;

  Impl(FormServiceConfig c, const Clock& k, audit::AuditSink& a,
       std::unique_ptr<FormConnection> first, ConnectionPool<FormConnection>::Opener open,
       std::shared_ptr<FifoMutex> writer, KeyHierarchy h)
      : config(std::move(c)),
        clock(k),
        audit(a),
        connections(std::move(first), std::move(open), std::move(writer)),
        keys(std::move(h)) {}

  std::string now() const { return format_utc(clock.now()); }
  // ---- users and scope (every decision: authorization.h) ----
  Result<UserRow> actor(const Principal& p);
  // Refuses (audited) an action that takes no form.
  Result<void> authorize(const Principal& p, const UserRow& u, Action action,
                         const std::string& subject = "");
  // The form if `action` is allowed on it. A form the actor may not even view
  // answers like an unknown one, so ids cannot be probed; otherwise the rule's
  // reason. Refusals are audited under audit_event(action).
  Result<FormRow> authorized(const Principal& p, const UserRow& u, const std::string& form_id,
                             Action action);
  Result<FormFacts> form_facts(const UserRow& u, const FormRow& f);
  // Does the (other) user work at `hospital` (a doctor a form is sent to)?
  Result<bool> works_at(const UserRow& u, const std::string& hospital);
  std::string today() const { return japan_date(clock.now()); }
  // May `doctor` register (sign) a form of `def` with these values? By the
  // doctor's designations valid today (work_hospitals.h may_sign).
  Result<bool> may_sign_form(const std::string& doctor, const forms::FormDefinition& def,
                             const forms::FormValues& values, std::string& reason);
  // 医療機関情報 (form_signer.cpp): fills the definition's from_designation
  // items from the registering doctor's designation and the form's hospital;
  // a differing stated value is left and reported in `mismatches` (Japanese).
  Result<void> fill_designation_items(const std::string& doctor, const std::string& hospital,
                                      const forms::FormDefinition& def, forms::FormValues& values,
                                      std::vector<std::string>& mismatches);
  // What fill_designation_items reads (the doctor's name, the designation of
  // the program, the hospital), read once and applied to many forms.
  Result<SignedItems> signed_items(const std::string& doctor, const std::string& hospital,
                                   const std::string& program);
  static void apply_signed_items(const SignedItems& facts, const forms::FormDefinition& def,
                                 forms::FormValues& values, std::vector<std::string>& mismatches);
  // ---- workflow ----
  Result<FormSummary> register_form(const Principal& p, const std::string& form_id,
                                    const std::string& comment, Action action);
  // ---- rows ----
  CachedStatement statement(const std::string& sql);
  Result<std::optional<FormRow>> load(const std::string& form_id);
  Result<void> save(const FormRow& row);  // insert or replace
  Result<void> add_history(const std::string& form_id, const std::string& actor,
                           const std::string& from, const std::string& to,
                           const std::string& status, const std::string& comment);
  // Records (or renews) an access-key grant; it lasts config.access_grant_validity.
  void grant(const std::string& user_id, const std::string& form_id);
  // ---- contents ----
  // A new form's definition: the current version.
  const forms::FormDefinition* definition(const std::string& id) const { return catalog->find(id); }
  // A stored form's: the version it was written with (issue 18 item 4); the
  // current one if that version is no longer shipped.
  const forms::FormDefinition* definition(const FormRow& row) const {
    return catalog->stored(row.definition, row.def_version);
  }
  std::string seal_json(const char* column, const std::string& form_id,
                        const nlohmann::json& j) const;
  Result<nlohmann::json> open_json(const char* column, const std::string& form_id,
                                   const std::string& sealed) const;
  // Fills contents, indexes and stored judgments of `row` from `values`.
  void set_contents(FormRow& row, const forms::FormDefinition& def,
                    const forms::FormValues& values);
  Result<forms::FormValues> values_of(const FormRow& row) const;
  Result<FormSummary> summary_of(const FormRow& row) const;
  Result<FormRecord> record_of(const FormRow& row) const;
  std::string new_form_id() const;
  // Issues an access key for a row being registered (sets access_index/enc).
  std::string issue_access_key(FormRow& row);
  // ---- import (F-9, F-11) ----
  // Checks every candidate (CPU only, no lock), then writes chunk by chunk,
  // each under the write lock in its own transaction.
  Result<ImportOutcome> import_forms(const Principal& p, const UserRow& u,
                                     std::vector<ImportCandidate>& candidates,
                                     const ImportMode& mode, const std::string& content_hash,
                                     const FormImportProgress& progress);
  void prepare_import(ImportCandidate& in, ImportItem& item) const;
  std::vector<std::string> imported_forms(const std::string& content_hash, std::size_t first,
                                          std::size_t end);
  Result<SigningCache> read_signing(const UserRow& u, const ImportMode& mode);
  StagedForm stage_import(const UserRow& u, const ImportCandidate& in, const ImportMode& mode,
                          const SigningCache& signing);
  void store_import(const Principal& p, const UserRow& u, ImportCandidate& in, StagedForm& staged,
                    std::size_t index, const std::string& imported_as, const ImportMode& mode,
                    const std::string& content_hash, ImportOutcome& out,
                    std::vector<audit::AuditEvent>& events);
  // ---- audit ----
  Result<void> record(const Principal& p, const std::string& event, const std::string& subject,
                      std::map<std::string, std::string> detail = {});
  Error deny(const Principal& p, const std::string& event, const std::string& subject, Error e);
  audit::AuditEvent event(const Principal& p, const std::string& name, audit::Outcome outcome,
                          const std::string& subject,
                          std::map<std::string, std::string> detail) const;
};

nlohmann::json values_to_json(const forms::FormValues& v);
forms::FormValues values_from_json(const nlohmann::json& j);
Result<FormSummary> carry_summary(FormService::Impl& impl, const FormRow& row);

}  // namespace nanbyo::appcore
