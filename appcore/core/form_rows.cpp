// FormService: the forms rows, their encrypted contents and the audit helpers.
#include <SQLiteCpp/Statement.h>

#include "appcore/core/form_service_impl.h"
#include "appcore/core/principal_event.h"
#include "pki/encoding.h"
#include "pki/random.h"

namespace nanbyo::appcore {

namespace {

std::string blob(SQLite::Statement& q, int i) {
  auto c = q.getColumn(i);
  if (c.isNull()) return "";
  return std::string(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
}

void bind_blob(SQLite::Statement& q, int i, const std::string& s, bool null_when_empty = false) {
  if (s.empty() && null_when_empty)
    q.bind(i);  // NULL: UNIQUE allows many
  else
    q.bind(i, s.data(), static_cast<int>(s.size()));
}

constexpr const char* kFormColumns =
    "form_id, definition, def_version, hospital, assigned_doctor, created_by, status, parent_id, "
    "application_type, source, data_enc, judgment_enc, summary_enc, municipality_enc, idx_insured, "
    "idx_kana, idx_birth, idx_sex, access_index, access_enc, certification, created_at, "
    "updated_at, registered_at";

}  // namespace

nlohmann::json values_to_json(const forms::FormValues& v) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [id, value] : v) {
    if (!value.items.empty())
      j[id] = {{"items", value.items}};
    else if (!value.rows.empty())
      j[id] = {{"rows", value.rows}};
    else
      j[id] = value.text;
  }
  return j;
}

forms::FormValues values_from_json(const nlohmann::json& j) {
  forms::FormValues v;
  for (auto it = j.begin(); it != j.end(); ++it) {
    forms::FieldValue f;
    if (it->is_string())
      f.text = it->get<std::string>();
    else if (it->contains("items"))
      f.items = (*it)["items"].get<std::vector<std::string>>();
    else if (it->contains("rows"))
      f.rows = (*it)["rows"].get<std::vector<std::map<std::string, std::string>>>();
    v[it.key()] = std::move(f);
  }
  return v;
}

CachedStatement FormService::Impl::statement(const std::string& sql) {
  auto& slot = connections.current().statements[sql];
  if (!slot) slot = std::make_unique<SQLite::Statement>(*db, sql);
  slot->clearBindings();
  return CachedStatement(*slot);
}

Result<std::optional<FormRow>> FormService::Impl::load(const std::string& form_id) {
  try {
    SQLite::Statement q(*db, std::string("SELECT ") + kFormColumns + " FROM forms WHERE form_id=?");
    q.bind(1, form_id);
    if (!q.executeStep()) return std::optional<FormRow>();
    FormRow r;
    std::string* text[] = {&r.form_id,          &r.definition, &r.def_version, &r.hospital,
                           &r.assigned_doctor,  &r.created_by, &r.status,      &r.parent_id,
                           &r.application_type, &r.source};
    for (int i = 0; i < 10; ++i) *text[i] = q.getColumn(i).getString();
    std::string* blobs[] = {&r.data_enc,     &r.judgment_enc, &r.summary_enc, &r.municipality_enc,
                            &r.idx_insured,  &r.idx_kana,     &r.idx_birth,   &r.idx_sex,
                            &r.access_index, &r.access_enc};
    for (int i = 0; i < 10; ++i) *blobs[i] = blob(q, 10 + i);
    r.certification = q.getColumn(20).getString();
    r.created_at = q.getColumn(21).getString();
    r.updated_at = q.getColumn(22).getString();
    r.registered_at = q.getColumn(23).getString();
    return std::optional<FormRow>(std::move(r));
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("storage: ") + e.what());
  }
}

Result<void> FormService::Impl::save(const FormRow& r) {
  try {
    // An upsert, not INSERT OR REPLACE: a replace deletes the row first and the
    // cascade would take the form's history and grants with it.
    static const std::string sql = [] {
      std::string cols = kFormColumns, set;
      std::size_t start = cols.find(", ") + 2;  // every column but form_id
      while (start < cols.size()) {
        auto end = cols.find(", ", start);
        std::string c =
            cols.substr(start, end == std::string::npos ? std::string::npos : end - start);
        set += (set.empty() ? "" : ", ") + c + "=excluded." + c;
        if (end == std::string::npos) break;
        start = end + 2;
      }
      return std::string("INSERT INTO forms(") + kFormColumns +
             ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(form_id) DO "
             "UPDATE SET " +
             set;
    }();
    auto cached = statement(sql);
    SQLite::Statement& q = *cached;
    const std::string* text[] = {&r.form_id,          &r.definition, &r.def_version, &r.hospital,
                                 &r.assigned_doctor,  &r.created_by, &r.status,      &r.parent_id,
                                 &r.application_type, &r.source};
    for (int i = 0; i < 10; ++i) q.bind(i + 1, *text[i]);
    const std::string* blobs[] = {
        &r.data_enc, &r.judgment_enc, &r.summary_enc, &r.municipality_enc, &r.idx_insured,
        &r.idx_kana, &r.idx_birth,    &r.idx_sex,     &r.access_index,     &r.access_enc};
    for (int i = 0; i < 10; ++i) bind_blob(q, 11 + i, *blobs[i], i == 8);
    q.bind(21, r.certification);
    q.bind(22, r.created_at);
    q.bind(23, r.updated_at);
    q.bind(24, r.registered_at);
    q.exec();
    return {};
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("storage: ") + e.what());
  }
}

Result<void> FormService::Impl::add_history(const std::string& form_id, const std::string& actor,
                                            const std::string& from, const std::string& to,
                                            const std::string& status, const std::string& comment) {
  try {
    int seq = 0;
    {
      auto n = statement("SELECT COALESCE(MAX(seq), 0) + 1 FROM form_history WHERE form_id=?");
      n->bind(1, form_id);
      n->executeStep();
      seq = n->getColumn(0).getInt();
    }
    auto cached = statement("INSERT INTO form_history VALUES(?,?,?,?,?,?,?,?)");
    SQLite::Statement& q = *cached;
    q.bind(1, form_id);
    q.bind(2, seq);
    q.bind(3, now());
    q.bind(4, actor);
    q.bind(5, from);
    q.bind(6, to);
    q.bind(7, status);
    // Comments may quote the patient: sealed like the contents.
    bind_blob(q, 8,
              keys.seal("form_history", "comment", form_id + "/" + std::to_string(seq), comment));
    q.exec();
    return {};
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("storage: ") + e.what());
  }
}

void FormService::Impl::grant(const std::string& user_id, const std::string& form_id) {
  SQLite::Statement q(*db, "INSERT OR REPLACE INTO form_grants VALUES(?,?,?)");
  q.bind(1, user_id);
  q.bind(2, form_id);
  q.bind(3, now());
  q.exec();
}

std::string FormService::Impl::seal_json(const char* column, const std::string& form_id,
                                         const nlohmann::json& j) const {
  return keys.seal("forms", column, form_id, j.dump());
}

Result<nlohmann::json> FormService::Impl::open_json(const char* column, const std::string& form_id,
                                                    const std::string& sealed) const {
  if (sealed.empty()) return nlohmann::json::object();
  NANBYO_TRY(text, keys.open("forms", column, form_id, sealed));
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return fail(Errc::Internal, "stored form contents are unreadable");
  return j;
}

void FormService::Impl::set_contents(FormRow& row, const forms::FormDefinition& def,
                                     const forms::FormValues& values) {
  auto text = [&](const char* id) {
    auto it = values.find(id);
    return it == values.end() ? std::string() : it->second.text;
  };
  row.data_enc = seal_json("data", row.form_id, values_to_json(values));
  nlohmann::json judged = nlohmann::json::array();
  for (const auto& j : forms::judge(def, values))
    judged.push_back({{"id", j.id},
                      {"label", j.label},
                      {"computed", j.computed},
                      {"computed_label", j.computed_label},
                      {"entered", j.entered},
                      {"entered_label", j.entered_label},
                      {"consistent", j.consistent},
                      {"messages", j.messages}});
  row.judgment_enc = seal_json("judgment", row.form_id, judged);
  row.summary_enc = seal_json("summary", row.form_id,
                              {{"insured_number", text("insured_number")},
                               {"insurer_number", text("insurer_number")},
                               {"patient_kana", text("patient_kana")},
                               {"birth_date", text("birth_date")},
                               {"sex", text("sex")},
                               {"doctor_name", text("doctor_name")}});
  auto index = [&](const char* purpose, const std::string& v) {
    return v.empty() ? std::string() : keys.blind_index(purpose, v);
  };
  row.idx_insured = index("form-insured", text("insured_number"));
  row.idx_kana = index("form-kana", text("patient_kana"));
  row.idx_birth = index("form-birth", text("birth_date"));
  row.idx_sex = index("form-sex", text("sex"));
  row.application_type = text("application_type");
  row.def_version = def.version;
}

Result<forms::FormValues> FormService::Impl::values_of(const FormRow& row) const {
  NANBYO_TRY(j, open_json("data", row.form_id, row.data_enc));
  return values_from_json(j);
}

std::string FormService::Impl::new_form_id() const {
  return "F" + to_hex(random_bytes(8));
}

Result<void> FormService::Impl::record(const Principal& p, const std::string& name,
                                       const std::string& subject,
                                       std::map<std::string, std::string> detail) {
  auto r = audit.append(event(p, name, audit::Outcome::Allow, subject, std::move(detail)));
  if (!r) return fail(Errc::Internal, "the audit log could not be written: " + r.error().message);
  return {};
}

Error FormService::Impl::deny(const Principal& p, const std::string& name,
                              const std::string& subject, Error e) {
  auto r = audit.append(event(
      p, name, audit::Outcome::Deny, subject,
      {{"code", std::string(to_string(error_code(e)))}, {"reason", std::string(error_text(e))}}));
  if (!r) return fail(Errc::Internal, "the audit log could not be written: " + r.error().message);
  return e;
}

audit::AuditEvent FormService::Impl::event(const Principal& p, const std::string& name,
                                           audit::Outcome outcome, const std::string& subject,
                                           std::map<std::string, std::string> detail) const {
  return principal_event(p, name, outcome, subject, std::move(detail));
}

}  // namespace nanbyo::appcore
