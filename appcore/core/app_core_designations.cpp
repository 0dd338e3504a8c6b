// AppCore: one designation at a time, for the municipality that made it: its
// notice (ID-3), validity extension (ID-5) and end (転出, ID-6); and a doctor's
// own list.
#include "appcore/core/app_core.h"
#include "appcore/core/authorization_facts.h"
#include "appcore/core/core_impl.h"
#include "appcore/core/doctor_fields.h"

namespace nanbyo::appcore {

Result<DesignationRow> AppCore::Impl::own_designation(const Principal& p, const UserRow& a,
                                                      const std::string& id, Action action) {
  const std::string event(audit_event(action));
  auto refuse = [&] {
    // Unknown, ended and another municipality's answer alike: ids cannot be probed.
    return deny(p, event, id,
                fail(Errc::NotFound, "no designation " + id + " of your municipality"));
  };
  if (role_of(a) != Role::MunicipalAdmin) {
    return deny(p, event, id,
                fail(Errc::Forbidden, "only the designating municipality manages a designation"));
  }
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos)
    return refuse();
  NANBYO_TRY(row, store->get_designation(std::stoll(id)));
  if (!row) return refuse();
  NANBYO_TRY(facts, actor_facts(*store, a, p, today()));
  if (!decide(facts, action, DesignationFacts{row->municipality, row->ended})) return refuse();
  return std::move(*row);
}

Result<DesignationNotice> AppCore::designation_notice(const Principal& p,
                                                      const std::string& designation_id) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(d, m.own_designation(p, a, designation_id, Action::DesignationNotice));
  NANBYO_TRY(t, m.load_user(d.user_id));
  NANBYO_TRY(n, m.notice_of(t, d));
  NANBYO_TRY_VOID(m.record(p, "designation-notice", d.user_id, {{"designation", designation_id}}));
  return n;
}

Result<RevocationOutcome> AppCore::extend_designation(const Principal& p,
                                                      const std::string& designation_id,
                                                      const std::string& new_expires_on) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(d, m.own_designation(p, a, designation_id, Action::DesignationExtend));
  NANBYO_TRY(t, m.load_user(d.user_id));
  auto date = normalize_date(trim(new_expires_on));
  if (!date || *date < m.today()) {
    return fail(Errc::InvalidInput, "expires_on: must be a date (YYYY-MM-DD) not in the past");
  }
  if (!d.designated_on.empty() && *date <= d.designated_on) {
    return fail(Errc::InvalidInput, "expires_on: must be after the designation date (指定年月日)");
  }
  // Keys first: if anything fails later the doctor is locked out, never left with the old key.
  NANBYO_TRY(out, m.revoke_access(d.user_id, "validity-extension"));
  NANBYO_TRY_VOID(m.store->transaction([&]() -> Result<void> {
    d.expires_on = *date;
    NANBYO_TRY_VOID(m.store->update_designation(d));
    // The next login repeats ID-4 (e-mail, new key file); an unfinished first login stays whole.
    if (!t.setup_full) t.setup_step = static_cast<int>(SetupStep::RegisterEmail);
    return m.store->update_user(t);
  }));
  NANBYO_TRY_VOID(m.record(p, "validity-extend", d.user_id,
                           {{"designation", designation_id},
                            {"expires_on", *date},
                            {"revoked_keys", std::to_string(out.revoked_key_ids.size())},
                            {"ended_sessions", std::to_string(out.ended_sessions)}}));
  return out;
}

Result<DesignationEnd> AppCore::end_designation(const Principal& p,
                                                const std::string& designation_id) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(d, m.own_designation(p, a, designation_id, Action::DesignationEnd));
  NANBYO_TRY(t, m.load_user(d.user_id));
  NANBYO_TRY(all, m.store->designations_of(d.user_id));
  bool others = false;
  for (const auto& e : all) others = others || (!e.ended && e.id != d.id);
  DesignationEnd out;
  out.user_id = d.user_id;
  if (others) {
    // The person keeps the ID for the other designations; what this one allowed
    // (signing forms of its program, its hospital) ends with it, checked per call.
    d.ended = true;
    d.ended_on = m.today();
    NANBYO_TRY_VOID(m.store->update_designation(d));
  } else {
    NANBYO_TRY(revoked, m.revoke_access(d.user_id, "transfer-out"));
    out.revocation = std::move(revoked);
    out.id_deleted = true;
    NANBYO_TRY_VOID(m.store->transaction([&]() -> Result<void> {
      NANBYO_TRY_VOID(m.store->delete_user(d.user_id));
      return m.ensure_hospital_admin(t.hospital);
    }));
  }
  NANBYO_TRY_VOID(m.record(p, "doctor-transfer-out", d.user_id,
                           {{"designation", designation_id},
                            {"id_deleted", out.id_deleted ? "yes" : "no"},
                            {"revoked_keys", std::to_string(out.revocation.revoked_key_ids.size())},
                            {"ended_sessions", std::to_string(out.revocation.ended_sessions)}}));
  return out;
}

Result<std::vector<Designation>> AppCore::my_designations(const Principal& p) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(rows, m.store->designations_of(a.user_id));
  std::vector<Designation> out;
  for (const auto& r : rows) {
    if (r.ended) continue;
    NANBYO_TRY(v, m.designation_view(r));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace nanbyo::appcore
