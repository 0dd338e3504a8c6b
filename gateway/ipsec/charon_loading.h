// Loading charon over VICI from the policy's ipsec section (S-10): the CA chain, the server's
// key (read here, wiped after, never a file charon reads), the CRL (and a flush of charon's
// cached CRLs), the pool and the connection. The controller calls these at start, on
// reconnect, on reload and when the CRL file changes.
#pragma once

#include "gateway/ipsec/vici_client.h"
#include "policy/policy.h"

namespace nanbyo::ipsec {

gw::awaitable<Result<void>> load_crl(ViciClient& vici, const policy::Ipsec& config);
gw::awaitable<Result<void>> load_everything(ViciClient& vici, const policy::Ipsec& config);

}  // namespace nanbyo::ipsec
