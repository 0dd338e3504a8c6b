// The checks that span entries, run after the schema and the builder: unique
// listener and upstream names, listen addresses that do not collide, routes
// whose listener and upstream exist, no two routes for the same listener and
// path_prefix, route hospitals within their listener's, a client_ca wherever
// client certificates are asked for. Errors point at the YAML that caused them.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string_view>

#include "pki/result.h"
#include "policy/policy.h"

namespace nanbyo::policy {

Result<void> check_cross_references(const Policy& policy, const YAML::Node& root,
                                    std::string_view file);

}  // namespace nanbyo::policy
