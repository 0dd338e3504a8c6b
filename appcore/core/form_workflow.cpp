// FormService: workflow (F-6), registration with access key (F-7), carry-over
// and differences (F-5).
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "appcore/core/form_service_impl.h"
#include "appcore/forms/carry_over.h"
#include "pki/random.h"

namespace nanbyo::appcore {
namespace {

std::string shown(const forms::FieldDef& f, const forms::FieldValue& v) {
  if (!v.items.empty()) {
    std::string s;
    for (const auto& i : v.items)
      s += (s.empty() ? "" : "、") + (f.choice(i) ? f.choice(i)->label : i);
    return s;
  }
  if (!v.rows.empty()) return std::to_string(v.rows.size()) + "行";
  if (const auto* c = f.choice(v.text)) return c->label;
  return v.text + (v.text.empty() ? "" : f.unit);
}

}  // namespace

Result<FormSummary> FormService::Impl::summary_of(const FormRow& r) const {
  FormSummary s;
  s.form_id = r.form_id;
  s.definition = r.definition;
  if (const auto* d = definition(r)) {
    s.title = d->title;
    s.form_type = d->form_type;
    s.version = d->version;
    if (const auto* old = catalog->previous_of(*d)) s.version_accepted_until = old->accepted_until;
    if (d->notice_no > 0)
      s.notice = d->kind == "shoman" && !d->group.empty()
                     ? d->group + "-" + std::to_string(d->notice_no)
                     : std::to_string(d->notice_no);
  }
  s.source = r.source;
  s.status = r.status;
  s.application_type = r.application_type;
  s.hospital = r.hospital;
  s.created_by = r.created_by;
  s.assigned_doctor = r.assigned_doctor;
  s.created_at = r.created_at;
  s.updated_at = r.updated_at;
  s.registered_at = r.registered_at;
  s.parent_id = r.parent_id;
  s.certification = r.certification;
  if (!r.access_enc.empty()) {
    NANBYO_TRY(key, keys.open("forms", "access", r.form_id, r.access_enc));
    s.access_key = key;
  }
  NANBYO_TRY(j, open_json("summary", r.form_id, r.summary_enc));
  s.insured_number = j.value("insured_number", "");
  s.patient_kana = j.value("patient_kana", "");
  s.birth_date = j.value("birth_date", "");
  s.sex = j.value("sex", "");
  s.insurer_number = j.value("insurer_number", "");
  s.doctor_name = j.value("doctor_name", "");
  return s;
}

Result<FormRecord> FormService::Impl::record_of(const FormRow& r) const {
  FormRecord rec;
  NANBYO_TRY(s, summary_of(r));
  rec.summary = std::move(s);
  NANBYO_TRY(v, values_of(r));
  rec.values = std::move(v);
  NANBYO_TRY(judged, open_json("judgment", r.form_id, r.judgment_enc));
  for (const auto& j : judged)
    rec.judgments.push_back({j["id"], j["label"], j["computed"], j["computed_label"], j["entered"],
                             j["entered_label"], j["consistent"],
                             j["messages"].get<std::vector<std::string>>()});
  NANBYO_TRY(m, open_json("municipality", r.form_id, r.municipality_enc));
  rec.municipality = {m.value("certification", ""), m.value("research_consent", ""),
                      m.value("income_category", ""), m.value("recorded_by", ""),
                      m.value("recorded_at", "")};
  return rec;
}

Result<void> FormService::submit(const Principal& p, const std::string& form_id,
                                 const std::string& doctor, const std::string& comment) {
  auto lease = impl_->write();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY(row, impl_->authorized(p, u, form_id, Action::FormSubmit));
  if (row.status != "draft")
    return impl_->deny(p, "form-submit", form_id,
                       fail(Errc::Conflict, "only a draft is sent to a doctor"));
  NANBYO_TRY(d, impl_->store->get_user(doctor));
  if (!d || !is_doctor(role_from_string(d->role).value_or(Role::Clerk)))
    return impl_->deny(p, "form-submit", form_id,
                       fail(Errc::InvalidInput, "doctor: not a designated doctor"));
  NANBYO_TRY(doctor_ok, impl_->works_at(*d, row.hospital));
  if (!doctor_ok)
    return impl_->deny(p, "form-submit", form_id,
                       fail(Errc::Forbidden, "that doctor does not work at the form's hospital"));
  if (const forms::FormDefinition* def = impl_->definition(row)) {
    NANBYO_TRY(values, impl_->values_of(row));
    std::string reason;
    NANBYO_TRY(signs, impl_->may_sign_form(doctor, *def, values, reason));
    if (!signs)
      return impl_->deny(
          p, "form-submit", form_id,
          fail(Errc::Forbidden, "doctor: that doctor cannot register this form (" + reason + ")"));
  }
  row.status = "submitted";
  row.assigned_doctor = doctor;
  row.updated_at = impl_->now();
  SQLite::Transaction tx(*impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
  NANBYO_TRY_VOID(impl_->save(row));
  NANBYO_TRY_VOID(impl_->add_history(form_id, u.user_id, u.user_id, doctor, "submitted", comment));
  tx.commit();
  return impl_->record(p, "form-submit", form_id, {{"to", doctor}});
}

Result<void> FormService::pull_back(const Principal& p, const std::string& form_id,
                                    const std::string& comment) {
  auto lease = impl_->write();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY(row, impl_->authorized(p, u, form_id, Action::FormPullBack));
  if (row.status != "submitted")
    return impl_->deny(p, "form-pull-back", form_id,
                       fail(Errc::Conflict, "only a submitted form is pulled back"));
  const std::string doctor = row.assigned_doctor;
  row.status = "draft";
  row.updated_at = impl_->now();
  SQLite::Transaction tx(*impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
  NANBYO_TRY_VOID(impl_->save(row));
  NANBYO_TRY_VOID(impl_->add_history(form_id, u.user_id, doctor, u.user_id, "draft", comment));
  tx.commit();
  return impl_->record(p, "form-pull-back", form_id);
}

Result<void> FormService::comment(const Principal& p, const std::string& form_id,
                                  const std::string& text) {
  auto lease = impl_->write();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY(row, impl_->authorized(p, u, form_id, Action::FormComment));
  if (text.empty() || text.size() > 4000)
    return fail(Errc::InvalidInput, "comment: 1 to 4000 bytes");
  NANBYO_TRY_VOID(
      impl_->add_history(form_id, u.user_id, u.user_id, row.assigned_doctor, row.status, text));
  return impl_->record(p, "form-comment", form_id);
}

std::string FormService::Impl::issue_access_key(FormRow& row) {
  std::string key = make_access_key(random_bytes(10));
  row.access_index = keys.blind_index("access-key", normalize_access_key(key));
  row.access_enc = keys.seal("forms", "access", row.form_id, key);
  return key;
}

// 登録 alone (approve) or as part of 一括承認 (approve_all): one rule, two audit events.
Result<FormSummary> FormService::Impl::register_form(const Principal& p, const std::string& form_id,
                                                     const std::string& comment, Action action) {
  FormService::Impl* impl_ = this;
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY(row, impl_->authorized(p, u, form_id, action));
  if (row.status != "draft" && row.status != "submitted")
    return impl_->deny(p, "form-approve", form_id,
                       fail(Errc::Conflict, "the form is " + row.status));
  NANBYO_TRY(values, impl_->values_of(row));
  const forms::FormDefinition* def = impl_->definition(row);
  if (!def) return fail(Errc::Internal, "the form's definition is no longer loaded");
  // A previous version registers only until its transition ends (catalog.h).
  if (auto accepted = impl_->catalog->accepts(*def, impl_->today()); !accepted)
    return impl_->deny(p, "form-approve", form_id, fail(Errc::Conflict, accepted.error().message));
  std::string reason;
  NANBYO_TRY(signs, impl_->may_sign_form(u.user_id, *def, values, reason));
  if (!signs) return impl_->deny(p, "form-approve", form_id, fail(Errc::Forbidden, reason));
  std::vector<std::string> mismatches;
  NANBYO_TRY_VOID(impl_->fill_designation_items(u.user_id, row.hospital, *def, values, mismatches));
  if (!mismatches.empty())
    return impl_->deny(p, "form-approve", form_id, fail(Errc::InvalidInput, mismatches.front()));
  auto messages = forms::check(*def, values);
  if (!messages.empty())
    return impl_->deny(
        p, "form-approve", form_id,
        fail(Errc::InvalidInput, messages.front().field + ": " + messages.front().text));
  forms::apply_calculations(*def, values);
  const std::string from = row.status == "submitted" ? row.assigned_doctor : u.user_id;
  row.status = "registered";
  row.assigned_doctor = u.user_id;
  row.updated_at = row.registered_at = impl_->now();
  impl_->set_contents(row, *def, values);  // judgments stored with the form (F-4)
  impl_->issue_access_key(row);
  SQLite::Transaction tx(*impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
  NANBYO_TRY_VOID(impl_->save(row));
  NANBYO_TRY_VOID(impl_->add_history(form_id, u.user_id, from, u.user_id, "registered", comment));
  tx.commit();
  NANBYO_TRY_VOID(impl_->record(p, "form-register", form_id, {{"definition", row.definition}}));
  return impl_->summary_of(row);
}

Result<FormSummary> FormService::approve(const Principal& p, const std::string& form_id,
                                         const std::string& comment) {
  auto lease = impl_->write();
  return impl_->register_form(p, form_id, comment, Action::FormApprove);
}

std::vector<std::pair<std::string, Result<FormSummary>>> FormService::approve_all(
    const Principal& p, const std::vector<std::string>& form_ids) {
  std::vector<std::pair<std::string, Result<FormSummary>>> out;
  for (const auto& id : form_ids) {
    auto lease = impl_->write();
    out.emplace_back(id, impl_->register_form(p, id, "", Action::FormBulkApprove));
  }
  return out;
}

Result<void> FormService::cancel(const Principal& p, const std::string& form_id,
                                 const std::string& reason) {
  auto lease = impl_->write();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY(row, impl_->authorized(p, u, form_id, Action::FormCancel));
  if (row.status == "cancelled") return fail(Errc::Conflict, "the form is cancelled already");
  row.status = "cancelled";
  row.updated_at = impl_->now();
  SQLite::Transaction tx(*impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
  NANBYO_TRY_VOID(impl_->save(row));
  NANBYO_TRY_VOID(impl_->add_history(form_id, u.user_id, u.user_id, "", "cancelled", reason));
  tx.commit();
  return impl_->record(p, "form-cancel", form_id);
}

Result<FormSummary> FormService::carry_over(const Principal& p, const std::string& form_id) {
  auto lease = impl_->write();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY(row, impl_->authorized(p, u, form_id, Action::FormCarryOver));
  const forms::FormDefinition* def = impl_->definition(row);
  const forms::FormDefinition* current = impl_->definition(row.definition);
  if (!def || !current) return fail(Errc::Internal, "the form's definition is no longer loaded");
  NANBYO_TRY(old, impl_->values_of(row));
  // The new draft is written with the current version; a former version's
  // items are mapped to it (issue 18 item 4).
  // A registered form's successor is next year's renewal (the carry_over
  // items); an open form moved to the current version keeps every item.
  const bool renewal = row.status == "registered" || row.status == "cancelled";
  forms::CarriedOver carried = forms::carry_over(
      *impl_->catalog, *def, *current, old, renewal ? forms::Carry::Renewal : forms::Carry::Move);
  if (renewal) carried.values["application_type"] = forms::text_value("renewal");
  NANBYO_TRY(s, save_draft(p, "", row.definition, carried.values));  // shares this call's lease
  NANBYO_TRY(fresh, impl_->load(s.form_id));
  fresh->parent_id = form_id;
  NANBYO_TRY_VOID(impl_->save(*fresh));
  std::string not_carried;
  for (const auto& item : carried.dropped) not_carried += (not_carried.empty() ? "" : ",") + item;
  NANBYO_TRY_VOID(impl_->record(p, "form-carry-over", s.form_id,
                                {{"from", form_id},
                                 {"from-version", def->version},
                                 {"version", current->version},
                                 {"not-carried", not_carried}}));
  s.parent_id = form_id;
  s.not_carried = carried.dropped;
  return s;
}

Result<std::vector<FieldChange>> FormService::diff(const Principal& p, const std::string& form_id) {
  auto lease = impl_->read();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY(row, impl_->authorized(p, u, form_id, Action::FormDiff));
  std::optional<FormRow> parent;
  if (!row.parent_id.empty()) {
    NANBYO_TRY(found, impl_->load(row.parent_id));
    parent = std::move(found);
  }
  if (!parent) {  // a first form has nothing to differ from; the look is still audited
    NANBYO_TRY_VOID(impl_->record(p, "form-diff", form_id));
    return std::vector<FieldChange>{};
  }
  NANBYO_TRY(now, impl_->values_of(row));
  NANBYO_TRY(before, impl_->values_of(*parent));
  const forms::FormDefinition* def = impl_->definition(row);
  const forms::FormDefinition* parent_def = impl_->definition(*parent);
  std::vector<FieldChange> out;
  for (const auto& f : def->fields) {
    // The parent may be of a previous version whose item had another name.
    const std::string from =
        parent_def ? forms::source_item(*impl_->catalog, *parent_def, *def, f.id) : f.id;
    forms::FieldValue a = before.count(from) ? before[from] : forms::FieldValue{};
    forms::FieldValue b = now.count(f.id) ? now[f.id] : forms::FieldValue{};
    if (!(a == b)) out.push_back({f.id, f.label, shown(f, a), shown(f, b)});
  }
  NANBYO_TRY_VOID(impl_->record(p, "form-diff", form_id));
  return out;
}

}  // namespace nanbyo::appcore
