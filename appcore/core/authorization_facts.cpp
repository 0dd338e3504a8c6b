#include "appcore/core/authorization_facts.h"

#include "appcore/core/work_hospitals.h"

namespace nanbyo::appcore {

Result<ActorFacts> actor_facts(Store& store, const UserRow& u, const Principal& p,
                               const std::string& today) {
  ActorFacts a;
  a.user_id = u.user_id;
  a.role = role_from_string(u.role).value_or(Role::Clerk);
  a.hospital = u.hospital;
  a.municipality = u.municipality;
  a.terminal_hospital = p.hospital;
  if (!u.hospital.empty()) {
    NANBYO_TRY(h, store.get_hospital(u.hospital));
    a.hospital_admin = h && h->administrator == u.user_id;
  }
  if (is_hospital_role(a.role)) {
    NANBYO_TRY(hospitals, work_hospitals(store, u, today));
    a.work_hospitals = std::move(hospitals);
  }
  return a;
}

Result<UserFacts> user_facts(Store& store, const UserRow& target) {
  UserFacts t;
  t.user_id = target.user_id;
  t.role = role_from_string(target.role).value_or(Role::Clerk);
  t.hospital = target.hospital;
  if (is_doctor(t.role)) {
    NANBYO_TRY(list, store.designations_of(target.user_id));
    for (const auto& d : list)
      if (!d.ended) t.designation_municipalities.push_back(d.municipality);
  }
  return t;
}

}  // namespace nanbyo::appcore
