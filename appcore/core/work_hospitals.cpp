#include "appcore/core/work_hospitals.h"

#include <algorithm>

namespace nanbyo::appcore {

Result<std::vector<DesignationRow>> valid_designations(Store& store, const std::string& user_id,
                                                       const std::string& today) {
  NANBYO_TRY(all, store.designations_of(user_id));
  std::vector<DesignationRow> out;
  for (auto& d : all)
    if (designation_valid(d.ended, d.expires_on, today)) out.push_back(std::move(d));
  return out;
}

Result<std::vector<std::string>> work_hospitals(Store& store, const UserRow& u,
                                                const std::string& today) {
  std::vector<std::string> out;
  auto add = [&](const std::string& h) {
    if (!h.empty() && std::find(out.begin(), out.end(), h) == out.end()) out.push_back(h);
  };
  add(u.hospital);
  NANBYO_TRY(valid, valid_designations(store, u.user_id, today));
  for (const auto& d : valid) add(d.hospital);
  NANBYO_TRY(extra, store.affiliations(u.user_id));
  for (const auto& h : extra) add(h);
  return out;
}

Result<bool> may_sign(Store& store, const std::string& user_id, Program program, bool renewal,
                      const std::string& today, std::string& reason) {
  NANBYO_TRY(valid, valid_designations(store, user_id, today));
  bool cooperating_only = false;
  for (const auto& d : valid) {
    if (d.program != to_string(program)) continue;
    if (d.kind != to_string(Role::CooperatingDoctor) || renewal) return true;
    cooperating_only = true;
  }
  if (cooperating_only) {
    reason = "a 協力難病指定医 registers renewal (更新) forms only";
  } else {
    reason = program == Program::Shoman
                 ? "a 医療意見書 needs a valid 小慢指定医 designation"
                 : "a 臨床調査個人票 needs a valid 難病指定医 or 協力難病指定医 designation";
  }
  return false;
}

}  // namespace nanbyo::appcore
