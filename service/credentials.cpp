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

bool is_systemd_credential(const std::filesystem::path& file) {
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  if (!dir || !*dir) return false;
  const auto relative = file.lexically_normal().lexically_relative(std::filesystem::path(dir));
  return !relative.empty() && *relative.begin() != ".." && relative != ".";
}

}  // namespace nanbyo::service
