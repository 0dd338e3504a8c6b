// 医療機関情報 of a form being registered (issue 18, F-1): the items a
// definition marks from_designation are never typed. The server takes them from
// the registering doctor (name), the doctor's designation valid today for the
// form's program (指定医番号; the one naming the form's hospital first) and the
// form's hospital (name, address), fills them in, and refuses a form (an
// upload) that states different ones.
#include "appcore/core/form_service_impl.h"
#include "appcore/core/work_hospitals.h"

namespace nanbyo::appcore {
namespace {

// Where each from_designation item comes from.
std::string designated_value(const std::string& field, const SignedItems& facts) {
  if (field == "hospital_name") return facts.hospital_name;
  if (field == "hospital_address") return facts.hospital_address;
  if (field == "doctor_number") return facts.doctor_number;
  if (field == "doctor_name") return facts.doctor_name;
  return {};
}

std::string trimmed(const std::string& s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  return b == std::string::npos ? "" : s.substr(b, s.find_last_not_of(ws) - b + 1);
}

}  // namespace

Result<void> FormService::Impl::fill_designation_items(const std::string& doctor,
                                                       const std::string& hospital,
                                                       const forms::FormDefinition& def,
                                                       forms::FormValues& values,
                                                       std::vector<std::string>& mismatches) {
  bool any = false;
  for (const auto& f : def.fields) any = any || f.from_designation;
  if (!any) return {};
  NANBYO_TRY(facts, signed_items(doctor, hospital, def.kind == "shoman" ? "shoman" : "nanbyo"));
  apply_signed_items(facts, def, values, mismatches);
  return {};
}

Result<SignedItems> FormService::Impl::signed_items(const std::string& doctor,
                                                    const std::string& hospital,
                                                    const std::string& program) {
  NANBYO_TRY(u, store->get_user(doctor));
  if (!u) return fail(Errc::NotFound, "no such doctor");
  NANBYO_TRY(name, keys.open("users", "name", u->user_id, u->name_enc));
  NANBYO_TRY(valid, valid_designations(*store, doctor, today()));
  const DesignationRow* chosen = nullptr;
  for (const auto& d : valid)
    if (d.program == program &&
        (!chosen || (d.hospital == hospital && chosen->hospital != hospital)))
      chosen = &d;
  if (!chosen) return fail(Errc::Forbidden, "the doctor holds no valid designation for this form");
  NANBYO_TRY(h, store->get_hospital(hospital));
  const Hospital found = h ? *h : Hospital{hospital, "", "", "", ""};
  return SignedItems{name, chosen->doctor_number, found.name, found.address};
}

void FormService::Impl::apply_signed_items(const SignedItems& facts,
                                           const forms::FormDefinition& def,
                                           forms::FormValues& values,
                                           std::vector<std::string>& mismatches) {
  for (const auto& f : def.fields) {
    if (!f.from_designation) continue;
    const std::string expected = designated_value(f.id, facts);
    auto it = values.find(f.id);
    const std::string stated = it == values.end() ? "" : trimmed(it->second.text);
    if (!stated.empty() && stated != expected) {
      mismatches.push_back(f.id + ": 「" + f.label + "」が指定医・医療機関の登録内容（" +
                           (expected.empty() ? "未登録" : expected) + "）と異なります");
      continue;
    }
    if (expected.empty())
      values.erase(f.id);
    else
      values[f.id] = forms::text_value(expected);
  }
}

}  // namespace nanbyo::appcore
