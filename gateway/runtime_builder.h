// Builds the immutable Runtime (policy + TLS contexts) and reads the CRL's
// revoked serials for the RevocationBus.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "gateway/services.h"
#include "pki/result.h"

namespace nanbyo::gw {

// `previous`: the runtime being replaced; what did not change (the inspection's rule sets) is
// kept from it.
Result<std::shared_ptr<const Runtime>> build_runtime(std::shared_ptr<const policy::Policy> policy,
                                                     const Runtime* previous = nullptr);

// Every serial revoked by the CRLs of every listener.
Result<std::set<std::string>> revoked_serials(const policy::Policy& policy);

}  // namespace nanbyo::gw
