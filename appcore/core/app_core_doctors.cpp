// AppCore: the municipality's doctor flows: register one (ID-1) as a new ID or
// a new designation of a known person, the list, the ID/PW notice (ID-3).
// Designations themselves: app_core_designations.cpp.
#include "appcore/core/app_core.h"
#include "appcore/core/core_impl.h"
#include "appcore/core/doctor_fields.h"
#include "appcore/core/import_rows.h"
#include "appcore/core/unicode_text.h"

namespace nanbyo::appcore {
namespace {

std::string joined_errors(const std::vector<FieldError>& errors) {
  std::string out;
  for (const auto& e : errors) {
    std::string_view key = e.column;
    for (const auto& f : doctor_fields())
      if (f.column == e.column) key = f.key;
    if (!out.empty()) out += "; ";
    out += std::string(key) + ": " + e.reason;
  }
  return out;
}

}  // namespace

// The hospital named in a registration, created when unknown. A known hospital
// keeps its registered name and address (a file never renames a hospital).
Result<Hospital> AppCore::Impl::named_hospital(const DoctorInput& d,
                                               const std::string& municipality) {
  NANBYO_TRY(h, store->get_hospital(d.hospital_number));
  if (h) return std::move(*h);
  if (d.hospital_name.empty()) {
    return fail(Errc::InvalidInput, "hospital_name: is required for a hospital not yet registered");
  }
  Hospital hospital{d.hospital_number, d.hospital_name, d.hospital_address, "", municipality};
  NANBYO_TRY_VOID(store->put_hospital(hospital));
  return hospital;
}

// A person already known by 医籍登録番号: the same designation again is a
// no-op; another one is added unless it conflicts within its program.
Result<RegistrationOutcome> AppCore::Impl::add_designation(const UserRow& a,
                                                           const std::string& user_id,
                                                           const DoctorInput& d) {
  RegistrationOutcome out;
  out.user_id = user_id;
  NANBYO_TRY(person, load_user(user_id));
  NANBYO_TRY(registered_name, decrypt(person, "name", person.name_enc));
  if (name_key(registered_name) != name_key(d.name)) {
    return fail(Errc::InvalidInput,
                "name: differs from the name registered under this 医籍登録番号; check the "
                "number and the name");
  }
  const Program program = program_of(d.kind);
  const std::string today_text = today();
  NANBYO_TRY(existing, store->designations_of(user_id));
  for (const auto& e : existing) {
    if (e.ended || e.program != to_string(program)) continue;
    // The same designation: same municipality and kind, and no other 指定医番号.
    if (e.municipality == a.municipality &&
        same_designation(role_from_string(e.kind).value_or(d.kind), e.doctor_number, d.kind,
                         d.doctor_number)) {
      out.designation_id = std::to_string(e.id);
      return out;  // AlreadyRegistered: a re-upload issues nothing twice
    }
    if (!designation_valid(e.ended, e.expires_on, today_text)) continue;
    const std::string law(program_label(program));
    if (e.municipality == a.municipality) {
      return fail(Errc::InvalidInput,
                  "kind: the doctor already holds a valid designation of your municipality under " +
                      law + " (" +
                      std::string(doctor_kind_text(role_from_string(e.kind).value_or(d.kind))) +
                      ", 指定医番号 " + e.doctor_number + "); extend or end it first");
    }
    return fail(Errc::InvalidInput, "kind: the doctor already holds a valid designation under " +
                                        law + " from another municipality");
  }
  NANBYO_TRY_VOID(named_hospital(d, a.municipality));
  NANBYO_TRY(id, insert_designation(user_id, a.municipality, d));
  out.status = RegistrationStatus::DesignationAdded;
  out.designation_id = std::to_string(id);
  return out;
}

Result<long long> AppCore::Impl::insert_designation(const std::string& user_id,
                                                    const std::string& municipality,
                                                    const DoctorInput& d) {
  DesignationRow row;
  row.user_id = user_id;
  row.program = std::string(to_string(program_of(d.kind)));
  row.kind = std::string(to_string(d.kind));
  row.municipality = municipality;
  row.hospital = d.hospital_number;
  row.department = d.department;
  row.doctor_number = d.doctor_number;
  row.designated_on = d.designated_on;
  row.expires_on = d.expires_on;
  row.created_at = now_text();
  return store->insert_designation(row);
}

Result<RegistrationOutcome> AppCore::Impl::register_normalized(const UserRow& a,
                                                               const DoctorInput& d) {
  const std::string index = keys.blind_index(kRegistrationPurpose, d.registration_number);
  NANBYO_TRY(existing, store->doctor_by_registration(index));
  if (existing) return add_designation(a, *existing, d);
  NANBYO_TRY(hospital, named_hospital(d, a.municipality));
  UserRow row;
  NANBYO_TRY(cred, create_user(d.kind, d.name, d.kana, d.hospital_number, a.municipality, &row));
  DoctorRow doc{row.user_id, index,
                keys.seal("doctors", "registration", row.user_id, d.registration_number)};
  NANBYO_TRY_VOID(store->insert_doctor(doc));
  NANBYO_TRY(id, insert_designation(row.user_id, a.municipality, d));
  if (hospital.administrator.empty()) {
    NANBYO_TRY_VOID(store->set_hospital_admin(hospital.number, row.user_id));
  }
  RegistrationOutcome out;
  out.status = RegistrationStatus::Issued;
  out.user_id = row.user_id;
  out.designation_id = std::to_string(id);
  out.credential = std::move(cred);
  return out;
}

Result<DesignationNotice> AppCore::Impl::notice_of(const UserRow& u, const DesignationRow& d) {
  NANBYO_TRY(name, decrypt(u, "name", u.name_enc));
  NANBYO_TRY(h, store->get_hospital(d.hospital));
  NANBYO_TRY(m, store->get_municipality(d.municipality));
  DesignationNotice n;
  n.designation_id = std::to_string(d.id);
  n.kind = std::string(doctor_kind_text(role_from_string(d.kind).value_or(Role::NanbyoDoctor)));
  if (m) n.municipality_name = m->name;
  n.doctor_name = std::move(name);
  if (h) {
    n.hospital_name = h->name;
    n.hospital_address = h->address;
  }
  n.department = d.department;
  n.designated_on = d.designated_on;
  n.expires_on = d.expires_on;
  n.doctor_number = d.doctor_number;
  n.user_id = u.user_id;
  return n;
}

Result<RegistrationOutcome> AppCore::register_doctor(const Principal& p, const DoctorInput& input) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY_VOID(m.authorize(p, a, Action::DoctorRegister));
  DoctorInput d = input;
  auto errors = normalize_doctor(d, "", false);
  if (!errors.empty()) return fail(Errc::InvalidInput, joined_errors(errors));
  RegistrationOutcome out;
  NANBYO_TRY_VOID(m.store->transaction([&]() -> Result<void> {
    NANBYO_TRY(r, m.register_normalized(a, d));
    out = std::move(r);
    if (out.status == RegistrationStatus::AlreadyRegistered) return {};
    NANBYO_TRY(u, m.load_user(out.user_id));
    NANBYO_TRY(row, m.store->get_designation(std::stoll(out.designation_id)));
    NANBYO_TRY(notice, m.notice_of(u, *row));
    out.notice = std::move(notice);
    out.notice.initial_password = out.credential.initial_password;
    return {};
  }));
  if (!hospital_check_digit_ok(d.hospital_number))
    out.warnings.push_back("hospital_number: the check digit (検証番号) does not match");
  const auto outcome = out.status == RegistrationStatus::AlreadyRegistered ? audit::Outcome::Info
                                                                           : audit::Outcome::Allow;
  NANBYO_TRY_VOID(m.audit.append(m.event(p, "doctor-register", outcome, out.user_id,
                                         {{"result", std::string(to_string(out.status))},
                                          {"designation", out.designation_id},
                                          {"kind", std::string(to_string(d.kind))},
                                          {"hospital", d.hospital_number}})));
  return out;
}

Result<std::vector<UserView>> AppCore::list_doctors(const Principal& p) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  if (Impl::role_of(a) != Role::MunicipalAdmin) {
    return m.deny(p, "doctor-list", "", fail(Errc::Forbidden, "only municipalities list doctors"));
  }
  NANBYO_TRY(rows, m.store->doctors_of_municipality(a.municipality));
  std::vector<UserView> out;
  out.reserve(rows.size());
  for (const auto& u : rows) {
    NANBYO_TRY(d, m.store->get_doctor(u.user_id));
    NANBYO_TRY(v, m.view(u, d ? &*d : nullptr, true, a.municipality));
    out.push_back(std::move(v));
  }
  NANBYO_TRY_VOID(
      m.record(p, "doctor-list", a.municipality, {{"count", std::to_string(out.size())}}));
  return out;
}

Result<UserView> AppCore::user(const Principal& p, const std::string& user_id) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(t, m.load_user(user_id));
  NANBYO_TRY_VOID(m.authorize_on_user(p, a, Action::UserView, t));
  NANBYO_TRY(d, m.store->get_doctor(user_id));
  const bool municipality = Impl::role_of(a) == Role::MunicipalAdmin;
  NANBYO_TRY(v, m.view(t, d ? &*d : nullptr, municipality || a.user_id == t.user_id,
                       municipality ? a.municipality : ""));
  NANBYO_TRY_VOID(m.record(p, "user-view", user_id));
  return v;
}

Result<IdPasswordNotice> AppCore::id_password_notice(const Principal& p,
                                                     const std::string& user_id) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(t, m.load_user(user_id));
  NANBYO_TRY_VOID(m.authorize_on_user(p, a, Action::UserView, t, "idpw-notice"));
  IdPasswordNotice n;
  n.user_id = t.user_id;
  NANBYO_TRY(name, m.decrypt(t, "name", t.name_enc));
  n.name = std::move(name);
  n.role = t.role;
  NANBYO_TRY(h, m.store->get_hospital(t.hospital));
  if (h) n.hospital_name = h->name;
  NANBYO_TRY_VOID(m.record(p, "idpw-notice", user_id));
  return n;
}

}  // namespace nanbyo::appcore
