#include "service/credentials.h"

#include <cstdlib>

namespace nanbyo::service {

Result<std::filesystem::path> resolve_credential_path(const std::string& value) {
  if (!value.starts_with(kCredentialScheme)) return std::filesystem::path(value);
  const std::string name = value.substr(kCredentialScheme.size());
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
    return fail("credential name must be a plain file name: " + value);
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  if (!dir || !*dir)
    return fail(value + " needs systemd's LoadCredential= (CREDENTIALS_DIRECTORY is not set)");
  return std::filesystem::path(dir) / name;
}

}  // namespace nanbyo::service
