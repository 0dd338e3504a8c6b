// The schema of the gateway's policy file: every key, its type, whether it is
// required, enumerations, ranges and formats (every key: tests/policy/valid/full.yaml).
// Defaults are not here but in the member initializers of policy.h.
#pragma once

#include "policy/schema.h"

namespace nanbyo::policy {

const schema::Type& policy_schema();

}  // namespace nanbyo::policy
