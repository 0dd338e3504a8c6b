// FormService: access keys (F-7, F-8), the municipality's view and print
// (F-10), search (F-12) and XML export.
#include <SQLiteCpp/Statement.h>

#include "appcore/core/form_service_impl.h"
#include "appcore/core/work_hospitals.h"

namespace nanbyo::appcore {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford base32

// Luhn mod N (N = 32): detects every single-character error and most swaps.
char check_char(std::string_view body) {
  int factor = 2, sum = 0;
  for (auto it = body.rbegin(); it != body.rend(); ++it) {
    int addend = factor * static_cast<int>(kAlphabet.find(*it));
    factor = factor == 2 ? 1 : 2;
    sum += addend / 32 + addend % 32;
  }
  return kAlphabet[static_cast<std::size_t>((32 - sum % 32) % 32)];
}

}  // namespace

std::string make_access_key(std::string_view random) {
  std::string body;
  // 15 characters × 5 bits = 75 bits from the first 10 random bytes.
  unsigned long long acc = 0;
  int bits = 0;
  for (unsigned char c : random.substr(0, 10)) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 5 && body.size() < 15) {
      body += kAlphabet[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  body += check_char(body);
  return body.substr(0, 4) + "-" + body.substr(4, 4) + "-" + body.substr(8, 4) + "-" +
         body.substr(12, 4);
}

std::string normalize_access_key(std::string_view typed) {
  std::string k;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (kAlphabet.find(c) == std::string_view::npos) return "";
    k += c;
  }
  if (k.size() != 16 || check_char(k.substr(0, 15)) != k[15]) return "";
  return k;
}

Result<FormRecord> FormService::find_by_access_key(const Principal& p, const std::string& typed) {
  auto lease = impl_->write();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY_VOID(impl_->authorize(p, u, Action::FormAccessKeyLookup));
  const int64_t now = impl_->clock.now().time_since_epoch().count();
  const int64_t since = now - impl_->config.access_key_window.count();
  try {
    SQLite::Statement count(*impl_->db,
                            "SELECT COUNT(*) FROM access_key_lookups WHERE user_id=? AND at>?");
    count.bind(1, u.user_id);
    count.bind(2, since);
    count.executeStep();
    if (count.getColumn(0).getInt() >= impl_->config.access_key_lookups)
      return impl_->deny(
          p, "access-key-lookup", "",
          fail(Errc::Locked, "too many access key lookups; try again in " +
                                 std::to_string(impl_->config.access_key_window.count() / 60) +
                                 " minutes"));
    SQLite::Statement add(*impl_->db, "INSERT INTO access_key_lookups VALUES(?,?)");
    add.bind(1, u.user_id);
    add.bind(2, now);
    add.exec();
  } catch (const SQLite::Exception& e) {
    return fail(Errc::Internal, std::string("storage: ") + e.what());
  }
  const std::string key = normalize_access_key(typed);
  if (key.empty())
    return impl_->deny(
        p, "access-key-lookup", "",
        fail(Errc::InvalidInput, "access key: mistyped (the check character does not match)"));
  const std::string index = impl_->keys.blind_index("access-key", key);
  std::string form_id;
  {
    SQLite::Statement q(*impl_->db, "SELECT form_id FROM forms WHERE access_index=?");
    q.bind(1, index.data(), static_cast<int>(index.size()));
    if (q.executeStep()) form_id = q.getColumn(0).getString();
  }
  if (form_id.empty())
    return impl_->deny(p, "access-key-lookup", "",
                       fail(Errc::NotFound, "no form has this access key"));
  NANBYO_TRY(row, impl_->load(form_id));
  impl_->grant(u.user_id, form_id);
  NANBYO_TRY_VOID(impl_->record(p, "access-key-lookup", form_id));
  return impl_->record_of(*row);
}

Result<void> FormService::record_municipality(const Principal& p, const std::string& form_id,
                                              const MunicipalityRecord& m) {
  auto lease = impl_->write();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY(row, impl_->authorized(p, u, form_id, Action::FormCertify));
  if (row.status != "registered") return fail(Errc::Conflict, "the form is not registered");
  if (m.certification != "approved" && m.certification != "rejected" &&
      m.certification != "pending")
    return fail(Errc::InvalidInput, "certification: approved, rejected or pending");
  if (m.research_consent != "yes" && m.research_consent != "no")
    return fail(Errc::InvalidInput, "research_consent: yes or no");
  row.certification = m.certification;
  row.municipality_enc = impl_->seal_json("municipality", form_id,
                                          {{"certification", m.certification},
                                           {"research_consent", m.research_consent},
                                           {"income_category", m.income_category},
                                           {"recorded_by", u.user_id},
                                           {"recorded_at", impl_->now()}});
  NANBYO_TRY_VOID(impl_->save(row));
  return impl_->record(p, "form-certify", form_id, {{"certification", m.certification}});
}

Result<PrintView> FormService::print_view(const Principal& p, const std::string& form_id,
                                          bool masked) {
  auto lease = impl_->read();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY(row, impl_->authorized(p, u, form_id, Action::FormPrint));
  // The municipality prints for the review board: always masked (F-10).
  if (role_from_string(u.role) == Role::MunicipalAdmin) masked = true;
  NANBYO_TRY(rec, impl_->record_of(row));
  const forms::FormDefinition* def = impl_->definition(row);
  PrintView v{def->title, def->form_type, rec.summary.access_key, masked, {}, rec.judgments};
  for (const auto& s : def->sections) {
    PrintSection ps{s.title, {}};
    for (const auto& id : s.fields) {
      const forms::FieldDef& f = *def->field(id);
      auto it = rec.values.find(id);
      std::string value;
      if (it != rec.values.end()) {
        const auto& fv = it->second;
        if (!fv.items.empty()) {
          for (const auto& i : fv.items)
            value += (value.empty() ? "" : "、") + (f.choice(i) ? f.choice(i)->label : i);
        } else if (!fv.rows.empty()) {
          for (const auto& r : fv.rows) {
            std::string line;
            for (const auto& c : f.columns)
              if (r.count(c.id)) {
                const forms::ChoiceDef* chosen = c.choice(r.at(c.id));  // a choice column's label
                line +=
                    (line.empty() ? "" : " / ") + (chosen ? chosen->label : r.at(c.id) + c.unit);
              }
            value += (value.empty() ? "" : "\n") + line;
          }
        } else {
          value = f.choice(fv.text) ? f.choice(fv.text)->label
                                    : fv.text + (fv.text.empty() ? "" : f.unit);
        }
      }
      if (masked && f.personal && !value.empty()) value = "＊＊＊";
      ps.rows.push_back({f.label, value});
    }
    v.sections.push_back(std::move(ps));
  }
  NANBYO_TRY_VOID(impl_->record(p, "form-print", form_id, {{"masked", masked ? "yes" : "no"}}));
  return v;
}

Result<std::string> FormService::export_xml(const Principal& p, const std::string& form_id) {
  auto lease = impl_->read();
  NANBYO_TRY(u, impl_->actor(p));
  NANBYO_TRY(row, impl_->authorized(p, u, form_id, Action::FormExport));
  NANBYO_TRY(values, impl_->values_of(row));
  NANBYO_TRY_VOID(impl_->record(p, "form-export", form_id));
  return forms::write_form_xml(*impl_->definition(row), values, form_id);
}

}  // namespace nanbyo::appcore
