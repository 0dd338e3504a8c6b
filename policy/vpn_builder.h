// Reads and checks the policy's `vpn` section: networks, addresses and port ranges are
// parsed here (the schema only knows they are strings), each error located at its node.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string_view>

#include "pki/result.h"
#include "policy/policy.h"

namespace nanbyo::policy {

Result<Vpn> build_vpn(const YAML::Node& node, std::string_view file);

}  // namespace nanbyo::policy
