// Reads and checks the policy's `ipsec` section (S-10, issue 16): addresses and networks are
// parsed here (the schema only knows they are strings), each error located at its node.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <string_view>

#include "pki/result.h"
#include "policy/policy.h"

namespace nanbyo::policy {

// `path` resolves a file name as the rest of the policy does; `key_path` also keeps a
// "credential:NAME" as written.
using PathOf = std::function<std::filesystem::path(const YAML::Node&)>;

Result<Ipsec> build_ipsec(
    const YAML::Node& node, std::string_view file, const PathOf& path, const PathOf& key_path,
    const std::function<Result<HospitalAllowList>(const YAML::Node&)>& allow_list);

}  // namespace nanbyo::policy
