// The facts of authorization.h, read from storage: one place that says what
// "the hospitals one works at" and "the 責任者" mean for every decision.
#pragma once

#include <string>

#include "appcore/core/authorization.h"
#include "appcore/core/model.h"
#include "appcore/core/store.h"

namespace nanbyo::appcore {

// The acting user `u` as `p` (the session: PC certificate's hospital), today (JST).
Result<ActorFacts> actor_facts(Store& store, const UserRow& u, const Principal& p,
                               const std::string& today);

// The user acted on.
Result<UserFacts> user_facts(Store& store, const UserRow& target);

}  // namespace nanbyo::appcore
