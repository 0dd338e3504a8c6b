// Loading the gateway policy: YAML → schema → Policy → cross checks, into an
// immutable snapshot. Errors are one line, "file:line:column: key.path:
// message", and only the first is reported. Relative paths in the policy
// (certificates, keys, CRL, audit log, unix sockets) are resolved against the
// directory of the policy file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string_view>

#include "pki/result.h"
#include "policy/policy.h"

namespace nanbyo::policy {

inline constexpr std::size_t kMaxPolicyBytes = 1 << 20;

// Reads and validates `file`; messages name it as given. Paths in the result
// are absolute; Policy::source is the absolute file name.
Result<std::shared_ptr<const Policy>> load_policy_file(const std::filesystem::path& file);

// Validates `text`; messages name it `name`. Relative paths are resolved
// against `base_dir`, or left relative when it is empty.
Result<std::shared_ptr<const Policy>> load_policy_text(std::string_view text, std::string_view name,
                                                       const std::filesystem::path& base_dir = {});

}  // namespace nanbyo::policy
