// Secrets handed over by systemd's LoadCredential= (issue 13, part 2).
// A path written as "credential:NAME" means $CREDENTIALS_DIRECTORY/NAME, the
// private copy systemd makes for the service; any other value is a path.
#pragma once

#include <filesystem>
#include <string>

#include "pki/result.h"

namespace nanbyo::service {

inline constexpr std::string_view kCredentialScheme = "credential:";

// The file a configured key path names; fails when the value asks for a
// credential and the process was not given any (or the name is not a plain
// file name).
Result<std::filesystem::path> resolve_credential_path(const std::string& value);

// True for a file inside $CREDENTIALS_DIRECTORY: systemd's private copy for
// this service alone. Its mode may show group bits (systemd grants the
// service's user read access with an ACL, whose mask stat() reports as the
// group bits), which a permission check must not take for a shared file.
bool is_systemd_credential(const std::filesystem::path& file);

}  // namespace nanbyo::service
