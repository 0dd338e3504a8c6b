// Encrypting the CA keys of an existing CA in place (issue 13): a CA made before keys were
// encrypted at rest, or without a passphrase, gets the same protection `init --passphrase-file`
// gives a new one. Keys already encrypted, and a root key kept offline, are left as they are.
#pragma once

#include <string>
#include <vector>

#include "pki/ca_paths.h"
#include "pki/result.h"
#include "pki/secret.h"

namespace nanbyo::pki {

struct ProtectedKeys {
  std::vector<std::string> encrypted;  // key files now encrypted
  std::vector<std::string> unchanged;  // "<file>: already encrypted" / "<file>: not here"
};

// Each key must match its CA certificate; every file is replaced atomically (0600).
Result<ProtectedKeys> protect_ca_keys(const CaPaths& paths, const Secret& passphrase);

}  // namespace nanbyo::pki
