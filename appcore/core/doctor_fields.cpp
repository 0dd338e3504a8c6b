#include "appcore/core/doctor_fields.h"

#include <cctype>
#include <chrono>
#include <cstdio>

#include "appcore/core/text_decoding.h"
#include "appcore/core/unicode_text.h"

namespace nanbyo::appcore {
namespace {

constexpr std::array<DoctorFieldInfo, kDoctorFieldCount> kFields{{
    {DoctorField::Name, "氏名", "name", true},
    {DoctorField::Kana, "氏名カナ", "kana", false},
    {DoctorField::RegistrationNumber, "医籍登録番号", "registration_number", true},
    {DoctorField::Kind, "指定医種別", "kind", true},
    {DoctorField::HospitalNumber, "医療機関番号", "hospital_number", true},
    {DoctorField::HospitalName, "医療機関名称", "hospital_name", false},
    {DoctorField::HospitalAddress, "医療機関所在地", "hospital_address", false},
    {DoctorField::Department, "診療科", "department", false},
    {DoctorField::DesignatedOn, "指定年月日", "designated_on", false},
    {DoctorField::ExpiresOn, "指定有効期限", "expires_on", false},
    {DoctorField::DoctorNumber, "指定医番号", "doctor_number", false},
}};

std::string_view column(DoctorField f) {
  return kFields[static_cast<std::size_t>(f)].column;
}

// Numbers and dates as typed in Excel: NFKC folds full-width digits, hyphens
// and solidus to ASCII. Text that is not UTF-8 stays as is (and fails later).
std::string fold_ascii(std::string_view s) {
  return nfkc(s).value_or(std::string(s));
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

// Characters, not bytes: counts UTF-8 lead bytes.
std::size_t char_count(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

const std::array<DoctorFieldInfo, kDoctorFieldCount>& doctor_fields() {
  return kFields;
}

std::optional<DoctorField> doctor_field_by_column(std::string_view name) {
  for (const auto& f : kFields)
    if (f.column == name) return f.field;
  return std::nullopt;
}

std::optional<Role> doctor_kind_from_text(std::string_view t) {
  if (t == "難病指定医") return Role::NanbyoDoctor;
  if (t == "協力難病指定医") return Role::CooperatingDoctor;
  if (t == "小慢指定医" || t == "小児慢性特定疾病指定医") return Role::PediatricDoctor;
  return std::nullopt;
}

std::string_view doctor_kind_text(Role kind) {
  switch (kind) {
    case Role::NanbyoDoctor:
      return "難病指定医";
    case Role::CooperatingDoctor:
      return "協力難病指定医";
    case Role::PediatricDoctor:
      return "小慢指定医";
    default:
      return "";
  }
}

std::string trim(std::string_view s) {
  auto strip_front = [&] {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t')) return s.remove_prefix(1), true;
    if (s.starts_with("\xE3\x80\x80")) return s.remove_prefix(3), true;
    return false;
  };
  auto strip_back = [&] {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t')) return s.remove_suffix(1), true;
    if (s.ends_with("\xE3\x80\x80")) return s.remove_suffix(3), true;
    return false;
  };
  while (strip_front()) {
  }
  while (strip_back()) {
  }
  return std::string(s);
}

bool hospital_check_digit_ok(std::string_view number) {
  if (number.size() != 10 || !all_digits(number)) return false;
  // Luhn over the first nine digits (都道府県, 点数表, 郡市区, 医療機関等番号):
  // from the rightmost, weights 2, 1, 2, ...; a two-digit product adds its digits.
  int sum = 0;
  for (int i = 8, weight = 2; i >= 0; --i, weight = 3 - weight) {
    int product = (number[static_cast<std::size_t>(i)] - '0') * weight;
    sum += product / 10 + product % 10;
  }
  return (10 - sum % 10) % 10 == number[9] - '0';
}

std::optional<std::string> normalize_date(std::string_view text) {
  std::string t = fold_ascii(text);
  int y = 0, m = 0, d = 0, used = 0;
  char s1 = 0, s2 = 0;
  if (std::sscanf(t.c_str(), "%4d%c%2d%c%2d%n", &y, &s1, &m, &s2, &d, &used) != 5 ||
      static_cast<std::size_t>(used) != t.size() || s1 != s2 || (s1 != '-' && s1 != '/')) {
    return std::nullopt;
  }
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1900 || y > 2200) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return std::string(buf);
}

std::vector<FieldError> normalize_doctor(DoctorInput& d, std::string_view kind_text,
                                         bool kind_from_text) {
  std::vector<FieldError> errors;
  auto err = [&](DoctorField f, std::string reason) {
    errors.push_back(FieldError{0, std::string(column(f)), std::move(reason)});
  };
  for (std::string* s :
       {&d.name, &d.kana, &d.registration_number, &d.hospital_number, &d.hospital_name,
        &d.hospital_address, &d.department, &d.designated_on, &d.expires_on, &d.doctor_number})
    *s = trim(*s);
  d.registration_number = fold_ascii(d.registration_number);
  d.hospital_number = fold_ascii(d.hospital_number);
  d.doctor_number = fold_ascii(d.doctor_number);

  auto text = [&](DoctorField f, const std::string& v, std::size_t max, bool required) {
    if (v.empty()) {
      if (required) err(f, "is required");
    } else if (has_control(v) || !is_valid_utf8(v)) {
      err(f, "contains control characters");
    } else if (char_count(v) > max) {
      err(f, "is longer than " + std::to_string(max) + " characters");
    }
  };
  text(DoctorField::Name, d.name, 60, true);
  text(DoctorField::Kana, d.kana, 60, false);
  if (!d.kana.empty() && is_valid_utf8(d.kana)) {
    auto kana = normalize_kana(d.kana);
    if (kana.error.empty())
      d.kana = std::move(kana.kana);
    else
      err(DoctorField::Kana, kana.error);
  }
  text(DoctorField::HospitalName, d.hospital_name, 100, false);
  text(DoctorField::HospitalAddress, d.hospital_address, 200, false);
  text(DoctorField::Department, d.department, 60, false);
  text(DoctorField::DoctorNumber, d.doctor_number, 20, false);

  if (d.registration_number.empty()) {
    err(DoctorField::RegistrationNumber, "is required");
  } else if (!all_digits(d.registration_number) || d.registration_number.size() > 10) {
    err(DoctorField::RegistrationNumber, "must be 1 to 10 digits");
  } else {
    // 医籍登録番号 "012345" and "12345" are the same doctor: compare without leading zeros.
    std::size_t nz = d.registration_number.find_first_not_of('0');
    if (nz == std::string::npos)
      err(DoctorField::RegistrationNumber, "must be a positive number");
    else
      d.registration_number = d.registration_number.substr(nz);
  }
  if (kind_from_text) {
    std::string k = trim(kind_text);
    if (k.empty()) {
      err(DoctorField::Kind, "is required");
    } else if (auto kind = doctor_kind_from_text(k)) {
      d.kind = *kind;
    } else {
      err(DoctorField::Kind, "must be 難病指定医, 協力難病指定医 or 小慢指定医");
    }
  } else if (!is_doctor(d.kind)) {
    err(DoctorField::Kind, "must be a doctor kind");
  }
  if (d.hospital_number.empty()) {
    err(DoctorField::HospitalNumber, "is required");
  } else if (d.hospital_number.size() != 10 || !all_digits(d.hospital_number)) {
    err(DoctorField::HospitalNumber, "must be 10 digits");
  }
  for (auto [f, v] : {std::pair{DoctorField::DesignatedOn, &d.designated_on},
                      std::pair{DoctorField::ExpiresOn, &d.expires_on}}) {
    if (v->empty()) continue;
    if (auto date = normalize_date(*v))
      *v = *date;
    else
      err(f, "must be a date as YYYY-MM-DD or YYYY/MM/DD");
  }
  if (!d.designated_on.empty() && !d.expires_on.empty() && d.expires_on.size() == 10 &&
      d.designated_on.size() == 10 && d.expires_on <= d.designated_on) {
    err(DoctorField::ExpiresOn, "must be after the designation date (指定年月日)");
  }
  return errors;
}

}  // namespace nanbyo::appcore
