// Where a hospital user works and what a doctor may sign, from storage: shared
// by login (AppCore) and the forms (FormService) so both decide alike.
#pragma once

#include <string>
#include <vector>

#include "appcore/core/designation.h"
#include "appcore/core/store.h"

namespace nanbyo::appcore {

// The user's designations valid on `today` (YYYY-MM-DD, JST).
Result<std::vector<DesignationRow>> valid_designations(Store& store, const std::string& user_id,
                                                       const std::string& today);

// The hospitals a hospital user works at (ID-8): the main hospital, the
// hospitals named in the user's valid designations, and the 兼務先 that the
// hospital's 責任者 approved (a pending or rejected request grants nothing).
Result<std::vector<std::string>> work_hospitals(Store& store, const UserRow& u,
                                                const std::string& today);

// May a doctor register (sign) a form of `program`? 難病: a valid 難病指定医
// designation, or a valid 協力難病指定医 one for a renewal (更新) only; 小慢: a
// valid 小慢指定医 designation. On refusal `reason` says why (English).
Result<bool> may_sign(Store& store, const std::string& user_id, Program program, bool renewal,
                      const std::string& today, std::string& reason);

}  // namespace nanbyo::appcore
