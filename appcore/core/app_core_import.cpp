// AppCore: bulk registration of doctors from a CSV/TSV file (ID-2).
// Mode: every row is judged on its own (issued / designation added / already
// registered / invalid); a row is stored only when every field is right,
// and the whole file is written in ONE transaction, so a crash or a storage
// error leaves nothing half-imported, and re-uploading the same file finds
// every doctor by 医籍登録番号 and issues nothing twice.
#include <array>
#include <optional>
#include <unordered_map>

#include "appcore/core/app_core.h"
#include "appcore/core/core_impl.h"
#include "appcore/core/delimited_text.h"
#include "appcore/core/doctor_fields.h"
#include "appcore/core/text_decoding.h"
#include "appcore/core/unicode_text.h"

namespace nanbyo::appcore {
namespace {

constexpr std::size_t kProgressEvery = 1000;
constexpr std::size_t kAuditChunk = 5000;

using ColumnMap = std::vector<std::optional<DoctorField>>;  // per file column

Result<ColumnMap> map_header(const DelimitedRecord& header) {
  ColumnMap map;
  std::array<bool, kDoctorFieldCount> seen{};
  for (const auto& raw : header.fields) {
    std::string name = trim(raw);
    auto field = doctor_field_by_column(name);
    if (!field) {
      std::string expected;
      for (const auto& f : doctor_fields())
        expected += (expected.empty() ? "" : ", ") + std::string(f.column);
      return fail(Errc::InvalidInput, "line 1: unknown column \"" + name +
                                          "\"; the header row names the columns: " + expected);
    }
    auto i = static_cast<std::size_t>(*field);
    if (seen[i]) return fail(Errc::InvalidInput, "line 1: column \"" + name + "\" appears twice");
    seen[i] = true;
    map.push_back(field);
  }
  for (const auto& f : doctor_fields()) {
    if (f.required && !seen[static_cast<std::size_t>(f.field)]) {
      return fail(Errc::InvalidInput,
                  "line 1: the required column \"" + std::string(f.column) + "\" is missing");
    }
  }
  return map;
}

void assign(DoctorInput& d, std::string& kind, DoctorField f, std::string v) {
  switch (f) {
    case DoctorField::Name:
      d.name = std::move(v);
      break;
    case DoctorField::Kana:
      d.kana = std::move(v);
      break;
    case DoctorField::RegistrationNumber:
      d.registration_number = std::move(v);
      break;
    case DoctorField::Kind:
      kind = std::move(v);
      break;
    case DoctorField::HospitalNumber:
      d.hospital_number = std::move(v);
      break;
    case DoctorField::HospitalName:
      d.hospital_name = std::move(v);
      break;
    case DoctorField::HospitalAddress:
      d.hospital_address = std::move(v);
      break;
    case DoctorField::Department:
      d.department = std::move(v);
      break;
    case DoctorField::DesignatedOn:
      d.designated_on = std::move(v);
      break;
    case DoctorField::ExpiresOn:
      d.expires_on = std::move(v);
      break;
    case DoctorField::DoctorNumber:
      d.doctor_number = std::move(v);
      break;
  }
}

// "hospital_name: is required ..." → FieldError on the 医療機関名称 column.
FieldError field_error_of(std::size_t line, std::string_view text) {
  FieldError e{line, "", std::string(text)};
  auto colon = text.find(": ");
  if (colon != std::string_view::npos) {
    for (const auto& f : doctor_fields()) {
      if (f.key == text.substr(0, colon)) {
        e.column = std::string(f.column);
        e.reason = std::string(text.substr(colon + 2));
      }
    }
  }
  return e;
}

RowStatus row_status(RegistrationStatus s) {
  switch (s) {
    case RegistrationStatus::Issued:
      return RowStatus::Issued;
    case RegistrationStatus::DesignationAdded:
      return RowStatus::DesignationAdded;
    case RegistrationStatus::AlreadyRegistered:
      return RowStatus::AlreadyRegistered;
  }
  return RowStatus::Invalid;
}

}  // namespace

Result<ImportReport> AppCore::import_doctors(const Principal& p, std::string_view bytes,
                                             const ImportProgress& progress) {
  std::lock_guard lock(impl_->mutex);
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  if (Impl::role_of(a) != Role::MunicipalAdmin) {
    return m.deny(p, "doctor-import", "",
                  fail(Errc::Forbidden, "only municipal administrators register doctors"));
  }
  if (bytes.size() > m.config.max_import_bytes) {
    return fail(Errc::InvalidInput, "the file is larger than " +
                                        std::to_string(m.config.max_import_bytes >> 20) + " MiB");
  }
  NANBYO_TRY(text, decode_upload(bytes));
  NANBYO_TRY(table, parse_delimited(text.utf8));
  if (table.records.empty()) return fail(Errc::InvalidInput, "the file has no header row");
  NANBYO_TRY(columns, map_header(table.records.front()));
  const std::size_t total = table.records.size() - 1;
  if (total == 0) return fail(Errc::InvalidInput, "the file has a header row but no doctors");
  if (total > m.config.max_import_rows) {
    return fail(Errc::InvalidInput,
                "the file has more than " + std::to_string(m.config.max_import_rows) + " rows");
  }

  ImportReport report;
  report.encoding = text.encoding;
  report.delimiter = table.delimiter;
  report.rows.reserve(total);
  // 医籍登録番号 → (first line, name key) of the rows seen so far.
  std::unordered_map<std::string, std::pair<std::size_t, std::string>> names_in_file;
  NANBYO_TRY_VOID(m.store->transaction([&]() -> Result<void> {
    std::vector<audit::AuditEvent> events;
    events.reserve(kAuditChunk);
    auto flush = [&]() -> Result<void> {
      if (events.empty()) return {};
      auto r = m.audit.append(events);
      events.clear();
      if (!r)
        return fail(Errc::Internal, "the audit log could not be written: " + r.error().message);
      return {};
    };
    for (std::size_t i = 1; i < table.records.size(); ++i) {
      auto& rec = table.records[i];
      ImportRow row;
      row.line = rec.line;
      DoctorInput d;
      std::string kind;
      for (std::size_t c = 0; c < rec.fields.size() && c < columns.size(); ++c)
        assign(d, kind, *columns[c], std::move(rec.fields[c]));
      if (rec.fields.size() != columns.size()) {
        row.errors.push_back(FieldError{
            rec.line, "",
            "the row has " + std::to_string(rec.fields.size()) + " fields; the header has " +
                std::to_string(columns.size()) + " (a missing or extra delimiter?)"});
      }
      for (auto& e : normalize_doctor(d, kind, true)) {
        e.line = rec.line;
        row.errors.push_back(std::move(e));
      }
      if (row.errors.empty()) {
        // One number, one person: a second row with another name is refused here,
        // naming the first line, before it can reach the stored registration.
        auto [first, inserted] =
            names_in_file.try_emplace(d.registration_number, rec.line, name_key(d.name));
        if (!inserted && first->second.second != name_key(d.name)) {
          row.errors.push_back(
              FieldError{rec.line, "医籍登録番号",
                         "line " + std::to_string(first->second.first) +
                             " has the same number with another name (氏名); check both lines"});
        }
      }
      if (row.errors.empty()) {
        auto r = m.register_normalized(a, d);
        if (!r) {
          if (error_code(r.error()) != Errc::InvalidInput) return r.error();
          row.errors.push_back(field_error_of(rec.line, error_text(r.error())));
        } else {
          row.user_id = r->user_id;
          row.designation_id = r->designation_id;
          row.status = row_status(r->status);
          if (r->status == RegistrationStatus::Issued) {
            row.initial_password = std::move(r->credential.initial_password);
            row.doctor_name = d.name;
          }
          if (r->status != RegistrationStatus::AlreadyRegistered) {
            events.push_back(m.event(p, "doctor-register", audit::Outcome::Allow, row.user_id,
                                     {{"result", std::string(to_string(r->status))},
                                      {"designation", r->designation_id},
                                      {"line", std::to_string(rec.line)}}));
            if (events.size() >= kAuditChunk) NANBYO_TRY_VOID(flush());
          }
          if (!hospital_check_digit_ok(d.hospital_number)) {
            row.warnings.push_back(FieldError{rec.line, "医療機関番号",
                                              "the check digit (検証番号) does not match; "
                                              "the hospital was stored as written"});
          }
        }
      }
      if (!row.errors.empty()) row.status = RowStatus::Invalid;
      switch (row.status) {
        case RowStatus::Issued:
          ++report.issued;
          break;
        case RowStatus::DesignationAdded:
          ++report.designation_added;
          break;
        case RowStatus::AlreadyRegistered:
          ++report.already_registered;
          break;
        case RowStatus::Invalid:
          ++report.invalid;
          break;
      }
      report.rows.push_back(std::move(row));
      if (progress && (i % kProgressEvery == 0 || i == total)) progress(i, total);
    }
    events.push_back(m.event(p, "doctor-import", audit::Outcome::Allow, a.municipality,
                             {{"rows", std::to_string(total)},
                              {"issued", std::to_string(report.issued)},
                              {"designation_added", std::to_string(report.designation_added)},
                              {"already_registered", std::to_string(report.already_registered)},
                              {"invalid", std::to_string(report.invalid)},
                              {"encoding", report.encoding}}));
    return flush();
  }));
  return report;
}

}  // namespace nanbyo::appcore
