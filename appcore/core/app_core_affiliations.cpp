// AppCore: a doctor's 兼務先 by consent (ID-8, affiliation.h). A request grants
// nothing until the 責任者 of the named hospital approves it; only approved
// 兼務先 reach work_hospitals() (login from that hospital's PCs, its forms).
// Removing one ends the doctor's sessions opened from that hospital's PCs.
#include <algorithm>

#include "appcore/core/app_core.h"
#include "appcore/core/core_impl.h"
#include "appcore/core/doctor_fields.h"
#include "appcore/core/work_hospitals.h"

namespace nanbyo::appcore {
namespace {

constexpr std::size_t kMaxDepartment = 50;  // characters
constexpr std::size_t kMaxContact = 100;
constexpr std::size_t kMaxReason = 200;

std::size_t characters(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

Result<std::string> bounded(std::string_view field, std::string_view text, std::size_t max) {
  std::string t = trim(text);
  if (characters(t) > max) {
    return fail(Errc::InvalidInput,
                std::string(field) + ": at most " + std::to_string(max) + " characters");
  }
  return t;
}

// The row key the 連絡先 is sealed to: a copied ciphertext opens nowhere else.
std::string contact_row(const std::string& user_id, const std::string& hospital) {
  return user_id + "/" + hospital;
}

AffiliationState state_of(const AffiliationRow& r) {
  return affiliation_state_from_string(r.state).value_or(AffiliationState::Pending);
}

bool counts_against_limit(const AffiliationRow& r) {
  return state_of(r) != AffiliationState::Rejected;
}

Result<Affiliation> affiliation_view(AppCore::Impl& m, const AffiliationRow& r,
                                     bool with_doctor_name) {
  Affiliation a;
  a.user_id = r.user_id;
  a.hospital.number = r.hospital;
  NANBYO_TRY(h, m.store->get_hospital(r.hospital));
  if (h) {
    a.hospital.name = h->name;
    a.hospital.address = h->address;
  }
  a.department = r.department;
  a.visible = r.visible;
  NANBYO_TRY(contact, m.keys.open("affiliations", "contact", contact_row(r.user_id, r.hospital),
                                  r.contact_enc));
  a.contact = std::move(contact);
  a.state = state_of(r);
  a.requested_at = r.requested_at;
  a.decided_by = r.decided_by;
  a.decided_at = r.decided_at;
  a.reason = r.reason;
  if (with_doctor_name) {
    NANBYO_TRY(u, m.store->get_user(r.user_id));
    if (u) {
      NANBYO_TRY(name, m.decrypt(*u, "name", u->name_enc));
      a.doctor_name = std::move(name);
    }
  }
  return a;
}

Result<std::vector<Affiliation>> affiliation_views(AppCore::Impl& m,
                                                   const std::vector<AffiliationRow>& rows,
                                                   bool with_doctor_name) {
  std::vector<Affiliation> out;
  for (const auto& r : rows) {
    NANBYO_TRY(v, affiliation_view(m, r, with_doctor_name));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

Result<Affiliation> AppCore::request_affiliation(const Principal& p,
                                                 const AffiliationRequest& request) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  const char* event = "affiliation-request";
  NANBYO_TRY(a, m.actor(p));
  const std::string number = trim(request.hospital_number);
  NANBYO_TRY_VOID(m.authorize(p, a, Action::AffiliationRequest, {}, number));
  NANBYO_TRY(h, m.store->get_hospital(number));
  if (!h) {
    return m.deny(
        p, event, number,
        fail(Errc::NotFound, "hospital " + number + " is not registered; check the 医療機関番号"));
  }
  if (number == a.hospital) {
    return m.deny(p, event, number, fail(Errc::Conflict, "this is your main hospital already"));
  }
  NANBYO_TRY(department, bounded("department", request.department, kMaxDepartment));
  NANBYO_TRY(contact, bounded("contact", request.contact, kMaxContact));

  AffiliationRow row;
  row.user_id = a.user_id;
  row.hospital = number;
  row.state = std::string(to_string(AffiliationState::Pending));
  row.department = department;
  row.visible = request.visible;
  row.contact_enc = m.keys.seal("affiliations", "contact", contact_row(a.user_id, number), contact);
  row.requested_at = m.now_text();
  auto stored = m.store->transaction([&]() -> Result<void> {
    NANBYO_TRY(current, m.store->affiliation_rows_of_user(a.user_id));
    const auto same = std::find_if(current.begin(), current.end(),
                                   [&](const AffiliationRow& r) { return r.hospital == number; });
    if (same != current.end() && counts_against_limit(*same)) {
      return fail(Errc::Conflict,
                  "hospital " + number + " is already one of your 兼務先 (" + same->state + ")");
    }
    const auto held = std::count_if(current.begin(), current.end(), counts_against_limit);
    if (static_cast<std::size_t>(held) >= kMaxAffiliations) {
      return fail(Errc::Conflict,
                  "at most 10 兼務先 can be requested or approved; remove one first");
    }
    return m.store->put_affiliation(row);
  });
  if (!stored) return m.deny(p, event, number, stored.error());
  NANBYO_TRY_VOID(m.record(p, event, a.user_id, {{"hospital", number}}));
  return affiliation_view(m, row, false);
}

Result<std::vector<Affiliation>> AppCore::my_affiliations(const Principal& p) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY(rows, m.store->affiliation_rows_of_user(a.user_id));
  return affiliation_views(m, rows, false);
}

Result<std::vector<Affiliation>> AppCore::affiliation_requests_for_my_hospital(const Principal& p) {
  auto lease = impl_->read();
  Impl& m = *impl_;
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY_VOID(m.authorize(p, a, Action::AffiliationRequestList, {}, a.hospital));
  NANBYO_TRY(rows, m.store->affiliation_rows_of_hospital(a.hospital));
  std::stable_partition(rows.begin(), rows.end(), [](const AffiliationRow& r) {
    return state_of(r) == AffiliationState::Pending;
  });
  NANBYO_TRY_VOID(m.record(p, "affiliation-request-list", a.hospital));
  return affiliation_views(m, rows, true);
}

Result<Affiliation> AppCore::decide_affiliation(const Principal& p, const std::string& doctor,
                                                const std::string& hospital,
                                                AffiliationDecision decision,
                                                const std::string& reason) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  const bool approve = decision == AffiliationDecision::Approve;
  const Action action = approve ? Action::AffiliationApprove : Action::AffiliationReject;
  const std::string event(audit_event(action));
  NANBYO_TRY(a, m.actor(p));
  NANBYO_TRY_VOID(m.authorize(p, a, action, AffiliationFacts{doctor, hospital}, doctor));
  NANBYO_TRY(text, bounded("reason", reason, kMaxReason));
  // Read, check and write in one transaction: two decisions cannot both pass.
  AffiliationRow row;
  auto decided = m.store->transaction([&]() -> Result<void> {
    NANBYO_TRY(found, m.store->get_affiliation(doctor, hospital));
    if (!found) return fail(Errc::NotFound, "no 兼務先 request of this doctor");
    row = std::move(*found);
    if (state_of(row) != AffiliationState::Pending)
      return fail(Errc::Conflict, "the request was decided already (" + row.state + ")");
    row.state =
        std::string(to_string(approve ? AffiliationState::Approved : AffiliationState::Rejected));
    row.decided_by = a.user_id;
    row.decided_at = m.now_text();
    row.reason = text;
    return m.store->put_affiliation(row);
  });
  if (!decided) return m.deny(p, event, doctor, decided.error());
  std::map<std::string, std::string> detail{{"hospital", hospital}};
  if (!text.empty()) detail["reason"] = text;
  NANBYO_TRY_VOID(m.record(p, event, doctor, std::move(detail)));
  return affiliation_view(m, row, true);
}

Result<RevocationOutcome> AppCore::remove_affiliation(const Principal& p, const std::string& doctor,
                                                      const std::string& hospital) {
  auto lease = impl_->write();
  Impl& m = *impl_;
  const char* event = "affiliation-remove";
  NANBYO_TRY(a, m.actor(p));
  const bool own = a.user_id == doctor;
  NANBYO_TRY_VOID(
      m.authorize(p, a, Action::AffiliationRemove, AffiliationFacts{doctor, hospital}, doctor));
  RevocationOutcome out;
  out.user_id = doctor;
  std::string state;  // what was removed, for the audit record
  auto removed = m.store->transaction([&]() -> Result<void> {
    NANBYO_TRY(found, m.store->get_affiliation(doctor, hospital));
    if (!found)
      return fail(Errc::NotFound, "hospital " + hospital + " is not a 兼務先 of " + doctor);
    state = found->state;
    NANBYO_TRY_VOID(m.store->remove_affiliation(doctor, hospital));
    // The doctor may still work there for another reason (a designation naming it).
    NANBYO_TRY(u, m.load_user(doctor));
    NANBYO_TRY(still, work_hospitals(*m.store, u, m.today()));
    if (std::find(still.begin(), still.end(), hospital) == still.end()) {
      NANBYO_TRY(ended, m.store->delete_user_sessions_at(doctor, hospital));
      out.ended_sessions = ended;
    }
    return {};
  });
  if (!removed) return m.deny(p, event, doctor, removed.error());
  NANBYO_TRY_VOID(m.record(p, event, doctor,
                           {{"hospital", hospital},
                            {"state", state},
                            {"by", own ? "doctor" : "administrator"},
                            {"ended_sessions", std::to_string(out.ended_sessions)}}));
  return out;
}

}  // namespace nanbyo::appcore
