// FormService: opening, scope, evaluation, drafts (F-1 … F-4) and reading.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>

#include "appcore/core/authorization_facts.h"
#include "appcore/core/form_service_impl.h"
#include "appcore/core/work_hospitals.h"

namespace nanbyo::appcore {

FormService::FormService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FormService::~FormService() = default;

Result<std::unique_ptr<FormService>> FormService::open(const CoreConfig& core,
                                                       const FormServiceConfig& config,
                                                       const Clock& clock,
                                                       audit::AuditSink& audit) {
  auto catalog = config.catalog;
  if (!catalog) {
    NANBYO_TRY(loaded, forms::FormCatalog::load(config.definitions));
    catalog = std::move(loaded);
  }
  // A reader is taken only with the catalog it was compiled from.
  auto xml = config.catalog ? config.xml_reader : nullptr;
  if (!xml) {
    NANBYO_TRY(compiled, forms::XmlFormReader::create(catalog));
    xml = std::move(compiled);
  }
  NANBYO_TRY(master, load_master_key(core.master_key, false));
  NANBYO_TRY(store, open_sqlite_store(core.database));
  NANBYO_TRY(keys, KeyHierarchy::open(*store, master));
  // Connections after the first skip the migrations (applied once, below).
  auto open_set = [path = core.database](
                      std::unique_ptr<Store> users) -> Result<std::unique_ptr<FormConnection>> {
    if (!users) {
      NANBYO_TRY(opened, open_sqlite_connection(path));
      users = std::move(opened);
    }
    auto c = std::make_unique<FormConnection>();
    c->store = std::move(users);
    try {
      c->db = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE);
      c->db->setBusyTimeout(5000);
      c->db->exec("PRAGMA foreign_keys=ON");
      // 64 MiB of page cache, as the store's connection (the default is 2 MiB):
      // an upload writes random keys (form id, blind indexes, access key) into
      // five B-trees, which a small cache rereads and rewrites for every form.
      c->db->exec("PRAGMA cache_size=-65536");
    } catch (const SQLite::Exception& e) {
      return fail(Errc::Internal, std::string("cannot open the forms database: ") + e.what());
    }
    return c;
  };
  NANBYO_TRY(first, open_set(std::move(store)));
  NANBYO_TRY_VOID(detail::migrate_forms(*first->db));
  auto impl = std::make_unique<Impl>(
      config, clock, audit, std::move(first), [open_set] { return open_set(nullptr); },
      database_write_mutex(core.database), std::move(keys));
  impl->catalog = catalog;
  impl->xml = xml;
  try {
    impl->key_db =
        std::make_unique<SQLite::Database>(core.database.string(), SQLite::OPEN_READWRITE);
    impl->key_db->setBusyTimeout(5000);
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("cannot open the forms database: ") + e.what());
  }
  NANBYO_TRY(registry,
             pki::UserKeyRegistry::open(*impl->key_db, impl->keys.user_key_wrap_key(), clock));
  impl->key_registry = std::make_unique<pki::UserKeyRegistry>(std::move(registry));
  return std::unique_ptr<FormService>(new FormService(std::move(impl)));
}

const forms::FormCatalog& FormService::catalog() const {
  return *impl_->catalog;
}

std::string FormService::xsd() const {
  return forms::generate_xsd(*impl_->catalog);
}

std::string FormService::today() const {
  return impl_->today();
}

const std::string& FormService::minimum_tool_version() const {
  return impl_->config.minimum_tool_version;
}

// ---- scope ----

Result<UserRow> FormService::Impl::actor(const Principal& p) {
  NANBYO_TRY(row, store->get_user(p.user_id));
  if (!row) return fail(Errc::AuthFailed, "the user of this session no longer exists; log in");
  if (row->locked) return fail(Errc::Locked, "the account is locked");
  if (row->setup_step != 0) return fail(Errc::SetupRequired, "finish the first-login steps first");
  return std::move(*row);
}

Result<void> FormService::Impl::authorize(const Principal& p, const UserRow& u, Action action,
                                          const std::string& subject) {
  NANBYO_TRY(facts, actor_facts(*store, u, p, today()));
  Decision d = decide(facts, action);
  if (!d)
    return deny(p, std::string(audit_event(action)), subject, fail(Errc::Forbidden, d.reason));
  return {};
}

Result<FormFacts> FormService::Impl::form_facts(const UserRow& u, const FormRow& f) {
  FormFacts facts;
  facts.hospital = f.hospital;
  try {
    // Grants older than the validity are as good as none (a new lookup renews).
    auto g = statement("SELECT granted_at FROM form_grants WHERE user_id=? AND form_id=?");
    g->bind(1, u.user_id);
    g->bind(2, f.form_id);
    if (g->executeStep()) {
      TimePoint at;
      facts.grant = parse_utc(g->getColumn(0).getString(), at) &&
                    clock.now() - at < config.access_grant_validity;
    }
    auto s = statement(
        "SELECT actor FROM form_history WHERE form_id=? AND status='submitted' "
        "ORDER BY seq DESC LIMIT 1");
    s->bind(1, f.form_id);
    if (f.status == "submitted" && s->executeStep())
      facts.submitted_by = s->getColumn(0).getString();
    auto m = statement(
        "SELECT 1 FROM form_grants g JOIN users u ON u.user_id=g.user_id "
        "WHERE g.form_id=? AND u.role='municipal-admin' LIMIT 1");
    m->bind(1, f.form_id);
    facts.municipality_linked = !f.municipality_enc.empty() || m->executeStep();
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("storage: ") + e.what());
  }
  return facts;
}

Result<FormRow> FormService::Impl::authorized(const Principal& p, const UserRow& u,
                                              const std::string& form_id, Action action) {
  const std::string event(audit_event(action));
  NANBYO_TRY(row, load(form_id));
  if (!row) return deny(p, event, form_id, fail(Errc::NotFound, "no such form"));
  NANBYO_TRY(who, actor_facts(*store, u, p, today()));
  NANBYO_TRY(what, form_facts(u, *row));
  if (action != Action::FormView && !decide(who, Action::FormView, what))
    return deny(p, event, form_id, fail(Errc::NotFound, "no such form"));
  Decision d = decide(who, action, what);
  if (!d)
    return deny(p, event, form_id,
                fail(action == Action::FormView ? Errc::NotFound : Errc::Forbidden,
                     action == Action::FormView ? "no such form" : d.reason));
  return std::move(*row);
}

Result<bool> FormService::Impl::works_at(const UserRow& u, const std::string& hospital) {
  NANBYO_TRY(hospitals, work_hospitals(*store, u, today()));
  return std::find(hospitals.begin(), hospitals.end(), hospital) != hospitals.end();
}

Program signing_program(const forms::FormDefinition& def) {
  return def.form_type == "医療意見書" ? Program::Shoman : Program::Nanbyo;
}

bool is_renewal(const forms::FormValues& values) {
  auto it = values.find("application_type");
  return it != values.end() && it->second.text == "renewal";
}

Result<bool> FormService::Impl::may_sign_form(const std::string& doctor,
                                              const forms::FormDefinition& def,
                                              const forms::FormValues& values,
                                              std::string& reason) {
  return may_sign(*store, doctor, signing_program(def), is_renewal(values), today(), reason);
}

// ---- evaluation and drafts ----

Result<FormEvaluation> FormService::evaluate(const std::string& definition,
                                             const forms::FormValues& values) const {
  const forms::FormDefinition* def = impl_->definition(definition);
  if (!def) return fail(Errc::NotFound, "no form definition " + definition);
  return evaluate(*def, values);
}

FormEvaluation FormService::evaluate(const forms::FormDefinition& def,
                                     const forms::FormValues& values) const {
  return FormEvaluation{forms::check(def, values), forms::calculate(def, values),
                        forms::judge(def, values)};
}

Result<FormSummary> FormService::save_draft(const Principal& p, const std::string& form_id,
                                            const std::string& definition,
                                            const forms::FormValues& values) {
  auto lease = impl_->write();
  NANBYO_TRY(u, impl_->actor(p));
  FormRow row;
  if (form_id.empty()) {
    const forms::FormDefinition* def = impl_->definition(definition);
    if (!def) return fail(Errc::NotFound, "no form definition " + definition);
    // A new form belongs to the hospital of the PC certificate in use.
    NANBYO_TRY_VOID(impl_->authorize(p, u, Action::FormCreate));
    row.form_id = impl_->new_form_id();
    row.definition = def->id;
    row.hospital = p.hospital;
    row.created_by = u.user_id;
    row.status = "draft";
    row.source = "web";
    row.created_at = impl_->now();
  } else {
    NANBYO_TRY(r, impl_->authorized(p, u, form_id, Action::FormEditDraft));
    if (r.status != "draft" && r.status != "submitted")
      return impl_->deny(
          p, "form-save", form_id,
          fail(Errc::Conflict, "a " + r.status + " form is not edited; use 更新登録"));
    row = std::move(r);
  }
  const forms::FormDefinition* def = impl_->definition(row);
  if (!def) return fail(Errc::Internal, "the form's definition is no longer loaded");
  auto messages = forms::check(*def, values);
  for (const auto& m : messages)
    if (m.severity == forms::CheckMessage::Severity::Error && m.text.starts_with("この様式にない"))
      return fail(Errc::InvalidInput, m.field + ": not an item of this form");
  row.updated_at = impl_->now();
  impl_->set_contents(row, *def, values);
  try {
    SQLite::Transaction tx(*impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    NANBYO_TRY_VOID(impl_->save(row));
    if (form_id.empty())
      NANBYO_TRY_VOID(impl_->add_history(row.form_id, u.user_id, u.user_id, "", "draft", ""));
    tx.commit();
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("storage: ") + e.what());
  }
  NANBYO_TRY_VOID(impl_->record(p, form_id.empty() ? "form-create" : "form-save", row.form_id,
                                {{"definition", row.definition}}));
  return impl_->summary_of(row);
}

Result<FormRecord> FormService::get(const Principal& p, const std::string& form_id) {
  auto lease = impl_->read();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY(row, impl_->authorized(p, u, form_id, Action::FormView));
  NANBYO_TRY_VOID(impl_->record(p, "form-view", form_id));
  return impl_->record_of(row);
}

}  // namespace nanbyo::appcore
