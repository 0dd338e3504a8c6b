#include "policy/loader.h"

#include <yaml-cpp/yaml.h>

#include <vector>

#include "pki/atomic_file.h"
#include "policy/builder.h"
#include "policy/cross_checks.h"
#include "policy/policy_schema.h"

namespace nanbyo::policy {
namespace {

namespace fs = std::filesystem;
using schema::located;

Result<Policy> parse_policy(std::string_view text, std::string_view name,
                            const fs::path& base_dir) {
  if (text.size() > kMaxPolicyBytes) {
    return fail(std::string(name) + ": larger than the " + std::to_string(kMaxPolicyBytes >> 20) +
                " MiB a policy may be");
  }
  try {
    // LoadAll, not Load: Load would silently drop a second document.
    const std::vector<YAML::Node> documents = YAML::LoadAll(std::string(text));
    if (documents.empty()) {
      return fail(std::string(name) + ": empty policy (expected a map with version, audit, " +
                  "listeners, upstreams and routes)");
    }
    if (documents.size() > 1) {
      return located(name, documents[1].Mark(), "",
                     "expected one YAML document, found " + std::to_string(documents.size()));
    }
    const YAML::Node& root = documents.front();
    NANBYO_TRY_VOID(schema::validate(root, policy_schema(), name));
    NANBYO_TRY(policy, build_policy(root, name, base_dir));
    NANBYO_TRY_VOID(check_cross_references(policy, root, name));
    return policy;
  } catch (const YAML::Exception& e) {
    // Parse errors (and yaml-cpp's recursion guard) carry the position.
    return located(name, e.mark, "", "invalid YAML: " + e.msg);
  }
}

}  // namespace

Result<std::shared_ptr<const Policy>> load_policy_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (fs::is_directory(file, ec))
    return fail(file.string() + ": is a directory, not a policy file");
  NANBYO_TRY(text, read_file(file, kMaxPolicyBytes));
  const fs::path absolute = fs::absolute(file, ec).lexically_normal();
  if (ec) return fail(file.string() + ": cannot resolve its directory: " + ec.message());
  NANBYO_TRY(policy, parse_policy(text, file.string(), absolute.parent_path()));
  policy.source = absolute;
  return std::make_shared<const Policy>(std::move(policy));
}

Result<std::shared_ptr<const Policy>> load_policy_text(std::string_view text, std::string_view name,
                                                       const std::filesystem::path& base_dir) {
  NANBYO_TRY(policy, parse_policy(text, name, base_dir));
  return std::make_shared<const Policy>(std::move(policy));
}

}  // namespace nanbyo::policy
