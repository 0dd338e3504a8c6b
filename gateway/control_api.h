// ControlApi: what operators (nanbyoctl), the application core and the PKI may
// ask of a running gateway. The D-Bus service (org.nanbyo.Gateway1) is one
// front end over it; tests drive it directly. Implementations are thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "gateway/connection_registry.h"
#include "gateway/ips/block_list.h"
#include "gateway/revocation_bus.h"
#include "pki/result.h"

namespace nanbyo::gw {

class ControlApi {
 public:
  virtual ~ControlApi() = default;
  virtual std::vector<ConnectionSummary> connections() = 0;
  // Ends one connection (or tunnel); false when no such id is open.
  virtual bool disconnect(uint64_t id, const std::string& requested_by) = 0;
  // Live revocation: closes every connection of the serial and refuses new handshakes.
  virtual RevocationEvent revoke_certificate(const std::string& serial,
                                             const std::string& requested_by) = 0;
  // Closes every connection carrying the user's session; sessions issued
  // before now are refused from now on (ID-5, ID-6, S-8).
  virtual RevocationEvent revoke_user(const std::string& user, const std::string& requested_by) = 0;
  // Re-reads the policy file; a bad policy is refused and the old one stays.
  virtual Result<void> reload(const std::string& requested_by) = 0;
  // name -> value, the same counters as the Prometheus metrics.
  virtual std::vector<std::pair<std::string, uint64_t>> statistics() = 0;

  // Intrusion prevention (issue 14): the blocks in force; an operator's block, which closes
  // the subject's connections (how many; an error for a malformed serial or address);
  // lifting one (false: it was not blocked); a failed login the application core saw at a
  // terminal or source (true when it crossed the policy's threshold and made a block).
  virtual std::vector<ips::Block> blocks() = 0;
  virtual Result<std::size_t> block(const ips::Subject& subject, std::chrono::seconds duration,
                                    const std::string& reason, const std::string& requested_by) = 0;
  virtual Result<bool> lift(const ips::Subject& subject, const std::string& requested_by) = 0;
  virtual bool report_failed_login(const std::string& serial, const std::string& source,
                                   const std::string& reported_by) = 0;
};

}  // namespace nanbyo::gw
