#include "appcore/core/import_rows.h"

#include <array>

#include "appcore/core/unicode_text.h"

namespace nanbyo::appcore {

Result<ColumnMap> map_doctor_header(const DelimitedRecord& header) {
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

namespace {

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

}  // namespace

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

PreparedRow prepare_doctor_row(DelimitedRecord& rec, const ColumnMap& columns,
                               const KeyHierarchy& keys) {
  PreparedRow row;
  row.line = rec.line;
  std::string kind;
  for (std::size_t c = 0; c < rec.fields.size() && c < columns.size(); ++c)
    assign(row.doctor, kind, *columns[c], std::move(rec.fields[c]));
  if (rec.fields.size() != columns.size()) {
    row.errors.push_back(
        FieldError{rec.line, "",
                   "the row has " + std::to_string(rec.fields.size()) + " fields; the header has " +
                       std::to_string(columns.size()) + " (a missing or extra delimiter?)"});
  }
  for (auto& e : normalize_doctor(row.doctor, kind, true)) {
    e.line = rec.line;
    row.errors.push_back(std::move(e));
  }
  if (row.errors.empty()) {
    row.registration_index = keys.blind_index(kRegistrationPurpose, row.doctor.registration_number);
    row.name_key = name_key(row.doctor.name);
    row.check_digit_ok = hospital_check_digit_ok(row.doctor.hospital_number);
  }
  return row;
}

}  // namespace nanbyo::appcore
