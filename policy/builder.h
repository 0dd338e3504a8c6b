// Turns a document that passed the schema into a Policy: parses the scalars,
// fills defaults, resolves relative file paths against `base_dir` (the policy
// file's directory; left relative when empty). Internal to policy/.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string_view>

#include "pki/result.h"
#include "policy/policy.h"

namespace nanbyo::policy {

Result<Policy> build_policy(const YAML::Node& root, std::string_view file,
                            const std::filesystem::path& base_dir);

}  // namespace nanbyo::policy
