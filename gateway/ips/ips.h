// The intrusion prevention of the gateway (IPS, S-3, issue 14), one object every worker,
// the control bus and the session loop share: it charges offences (inspection alerts and
// refusals, failed logins the application core reports) to a terminal or a source, blocks a
// subject that crosses a threshold for a while, answers whether a connection, handshake or
// request may go on, and keeps the per-source limits. Blocks survive policy reloads; the
// thresholds come from the policy of the moment (policy `ips:` section; docs/inspection.md).
//
// It decides; the caller audits and closes. A new block names the connections to close in
// its Subject, which the caller hands to the registry (the revocation path).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "gateway/ips/block_list.h"
#include "gateway/ips/offence_window.h"
#include "gateway/ips/source_limits.h"
#include "gateway/ips/subject.h"

namespace nanbyo::gw::ips {

struct Settings {
  Thresholds thresholds;
  std::chrono::seconds block_duration{900};
  unsigned request_rate = 0;  // per source and second; 0: no limit
  unsigned request_burst = 0;
  unsigned connections_per_source = 0;  // 0: no limit
};

class Ips {
 public:
  // A block made by a threshold, for the caller to audit and enforce.
  std::optional<Block> charge(const Subject& subject, Offence offence, unsigned weight,
                              const Settings& settings, Clock::time_point now = Clock::now());

  // An operator's block (nanbyoctl); replaces one in force.
  Block block(const Subject& subject, std::chrono::seconds duration, const std::string& reason,
              Clock::time_point now = Clock::now());
  bool lift(const Subject& subject, Clock::time_point now = Clock::now());
  std::optional<Block> blocked(const Subject& subject, Clock::time_point now = Clock::now()) const;
  std::vector<Block> blocks(Clock::time_point now = Clock::now()) const;
  // The blocks of the state file, at start.
  void restore(const std::vector<Block>& blocks);

  Admission admit_request(const std::string& source, const Settings& settings,
                          Clock::time_point now = Clock::now());
  ConnectionCounter& connections() { return connections_; }

 private:
  BlockList blocks_;
  OffenceWindow offences_;
  RequestRateLimiter rates_;
  ConnectionCounter connections_;
};

}  // namespace nanbyo::gw::ips
