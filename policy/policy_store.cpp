#include "policy/policy_store.h"

#include "policy/loader.h"

namespace nanbyo::policy {

Result<void> PolicyStore::reload(const std::filesystem::path& file) {
  NANBYO_TRY(next, load_policy_file(file));
  replace(std::move(next));
  return {};
}

}  // namespace nanbyo::policy
