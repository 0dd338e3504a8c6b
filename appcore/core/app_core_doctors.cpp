// AppCore: the municipality's doctor flows: register one (ID-1), notices
// (ID-3), list, validity extension (ID-5), transfer out (ID-6).
#include "appcore/core/app_core.h"
#include "appcore/core/core_impl.h"
#include "appcore/core/doctor_fields.h"

namespace nanbyo::appcore {
namespace {

constexpr std::string_view kRegistrationPurpose = "registration-number";

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

Result<RegistrationOutcome> AppCore::Impl::register_normalized(const UserRow& a,
                                                               const DoctorInput& d) {
  RegistrationOutcome out;
  const std::string index = keys.blind_index(kRegistrationPurpose, d.registration_number);
  NANBYO_TRY(existing, store->doctor_by_registration(index));
  if (existing) {
    out.user_id = *existing;
    out.notice.user_id = *existing;
    return out;
  }
  NANBYO_TRY(h, store->get_hospital(d.hospital_number));
  Hospital hospital;
  if (h) {
    hospital = std::move(*h);  // a known hospital keeps its registered name and address
  } else {
    if (d.hospital_name.empty()) {
      return fail(Errc::InvalidInput,
                  "hospital_name: is required for a hospital not yet registered");
    }
    hospital = Hospital{d.hospital_number, d.hospital_name, d.hospital_address, ""};
    NANBYO_TRY_VOID(store->put_hospital(hospital));
  }
  UserRow row;
  NANBYO_TRY(cred, create_user(d.kind, d.name, d.kana, d.hospital_number, a.municipality, &row));
  DoctorRow doc{row.user_id,
                index,
                keys.seal("doctors", "registration", row.user_id, d.registration_number),
                d.department,
                d.designated_on,
                d.expires_on,
                d.doctor_number};
  NANBYO_TRY_VOID(store->insert_doctor(doc));
  if (hospital.administrator.empty()) {
    NANBYO_TRY_VOID(store->set_hospital_admin(hospital.number, row.user_id));
  }
  out.issued = true;
  out.user_id = row.user_id;
  out.notice = DesignationNotice{d.name,          hospital.name,   hospital.address,
                                 d.department,    d.designated_on, d.expires_on,
                                 d.doctor_number, row.user_id,     cred.initial_password};
  out.credential = std::move(cred);
  return out;
}

Result<DesignationNotice> AppCore::Impl::notice_of(const UserRow& u, const DoctorRow& d) {
  NANBYO_TRY(name, decrypt(u, "name", u.name_enc));
  NANBYO_TRY(h, store->get_hospital(u.hospital));
  DesignationNotice n;
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
  std::lock_guard lock(impl_->mutex);
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  if (Impl::role_of(a) != Role::MunicipalAdmin) {
    return m.deny(p, "doctor-register", "",
                  fail(Errc::Forbidden, "only municipal administrators register doctors"));
  }
  DoctorInput d = input;
  auto errors = normalize_doctor(d, "", false);
  if (!errors.empty()) return fail(Errc::InvalidInput, joined_errors(errors));
  RegistrationOutcome out;
  NANBYO_TRY_VOID(m.store->transaction([&]() -> Result<void> {
    NANBYO_TRY(r, m.register_normalized(a, d));
    out = std::move(r);
    return {};
  }));
  if (!out.issued) {
    auto e = m.event(p, "doctor-register", audit::Outcome::Info, out.user_id,
                     {{"result", "already-registered"}});
    NANBYO_TRY_VOID(m.audit.append(e));
    return out;
  }
  NANBYO_TRY_VOID(m.record(p, "doctor-register", out.user_id,
                           {{"result", "issued"}, {"hospital", d.hospital_number}}));
  return out;
}

Result<std::vector<UserView>> AppCore::list_doctors(const Principal& p) {
  std::lock_guard lock(impl_->mutex);
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  if (Impl::role_of(a) != Role::MunicipalAdmin) {
    return m.deny(p, "doctor-list", "", fail(Errc::Forbidden, "only municipalities list doctors"));
  }
  NANBYO_TRY(rows, m.store->doctors_of_municipality(a.municipality));
  std::vector<UserView> out;
  out.reserve(rows.size());
  for (const auto& [u, d] : rows) {
    NANBYO_TRY(v, m.view(u, &d, true));
    out.push_back(std::move(v));
  }
  NANBYO_TRY_VOID(
      m.record(p, "doctor-list", a.municipality, {{"count", std::to_string(out.size())}}));
  return out;
}

Result<UserView> AppCore::user(const Principal& p, const std::string& user_id) {
  std::lock_guard lock(impl_->mutex);
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(t, m.load_user(user_id));
  NANBYO_TRY(allowed, m.may_manage(a, t));
  if (!allowed && a.user_id != t.user_id) {
    return m.deny(p, "user-view", user_id,
                  fail(Errc::Forbidden, "this user is outside your scope"));
  }
  NANBYO_TRY(d, m.store->get_doctor(user_id));
  const bool municipality = Impl::role_of(a) == Role::MunicipalAdmin;
  NANBYO_TRY(v, m.view(t, d ? &*d : nullptr, municipality || a.user_id == t.user_id));
  NANBYO_TRY_VOID(m.record(p, "user-view", user_id));
  return v;
}

Result<DesignationNotice> AppCore::designation_notice(const Principal& p,
                                                      const std::string& user_id) {
  std::lock_guard lock(impl_->mutex);
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(t, m.load_user(user_id));
  NANBYO_TRY(allowed, m.may_manage(a, t));
  NANBYO_TRY(d, m.store->get_doctor(user_id));
  if (!allowed || !d) {
    return m.deny(p, "designation-notice", user_id,
                  fail(Errc::Forbidden, "this doctor is outside your scope"));
  }
  NANBYO_TRY(n, m.notice_of(t, *d));
  NANBYO_TRY_VOID(m.record(p, "designation-notice", user_id));
  return n;
}

Result<IdPasswordNotice> AppCore::id_password_notice(const Principal& p,
                                                     const std::string& user_id) {
  std::lock_guard lock(impl_->mutex);
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(t, m.load_user(user_id));
  NANBYO_TRY(allowed, m.may_manage(a, t));
  if (!allowed) {
    return m.deny(p, "idpw-notice", user_id,
                  fail(Errc::Forbidden, "this user is outside your scope"));
  }
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

Result<RevocationOutcome> AppCore::extend_validity(const Principal& p, const std::string& user_id,
                                                   const std::string& new_expires_on) {
  std::lock_guard lock(impl_->mutex);
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(t, m.load_user(user_id));
  NANBYO_TRY(d, m.store->get_doctor(user_id));
  if (Impl::role_of(a) != Role::MunicipalAdmin || !d || t.municipality != a.municipality) {
    return m.deny(p, "validity-extend", user_id,
                  fail(Errc::Forbidden, "only the doctor's own municipality extends the validity"));
  }
  auto date = normalize_date(trim(new_expires_on));
  if (!date || *date < m.today()) {
    return fail(Errc::InvalidInput, "expires_on: must be a date (YYYY-MM-DD) not in the past");
  }
  // Keys first: if anything fails later the doctor is locked out, never left with the old key.
  NANBYO_TRY(out, m.revoke_access(user_id, "validity-extension"));
  NANBYO_TRY_VOID(m.store->transaction([&]() -> Result<void> {
    d->expires_on = *date;
    NANBYO_TRY_VOID(m.store->update_doctor(*d));
    // The next login repeats ID-4 (e-mail, new key file); an unfinished first login stays whole.
    if (!t.setup_full) t.setup_step = static_cast<int>(SetupStep::RegisterEmail);
    return m.store->update_user(t);
  }));
  NANBYO_TRY_VOID(m.record(p, "validity-extend", user_id,
                           {{"expires_on", *date},
                            {"revoked_keys", std::to_string(out.revoked_key_ids.size())},
                            {"ended_sessions", std::to_string(out.ended_sessions)}}));
  return out;
}

Result<RevocationOutcome> AppCore::transfer_out(const Principal& p, const std::string& user_id) {
  std::lock_guard lock(impl_->mutex);
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(t, m.load_user(user_id));
  NANBYO_TRY(d, m.store->get_doctor(user_id));
  if (Impl::role_of(a) != Role::MunicipalAdmin || !d || t.municipality != a.municipality) {
    return m.deny(p, "doctor-transfer-out", user_id,
                  fail(Errc::Forbidden, "only the doctor's own municipality deletes the ID"));
  }
  NANBYO_TRY(out, m.revoke_access(user_id, "transfer-out"));
  NANBYO_TRY_VOID(m.store->transaction([&]() -> Result<void> {
    NANBYO_TRY_VOID(m.store->delete_user(user_id));
    return m.ensure_hospital_admin(t.hospital);
  }));
  NANBYO_TRY_VOID(m.record(p, "doctor-transfer-out", user_id,
                           {{"revoked_keys", std::to_string(out.revoked_key_ids.size())},
                            {"ended_sessions", std::to_string(out.ended_sessions)}}));
  return out;
}

}  // namespace nanbyo::appcore
