// Where the IPS (gateway/ips/, issue 14) meets the connections: the checks before and after
// the TLS handshake, the charge for an inspected request, and the enforcement of a new block
// (audit record, metric, and the subject's open connections closed through the registry as
// a revocation closes them). The control bus enforces an operator's blocks the same way.
#pragma once

#include <optional>
#include <string>

#include "gateway/ips/ips.h"
#include "gateway/services.h"
#include "gateway/vpn/scan_detector.h"

namespace nanbyo::gw {

struct Context;
struct RequestView;

// The IPS settings of a policy (no automatic blocks and no limits without an ips section).
ips::Settings ips_settings_of(const policy::Policy& policy);
// What a tunnel detects (nothing without an ips section).
vpn::ScanLimits tunnel_scan_limits_of(const policy::Policy& policy);

// Holds one of the source's places in the per-source connection limit while it lives.
class SourceSlot {
 public:
  SourceSlot(ips::Ips& ips, std::string source) : ips_(&ips), source_(std::move(source)) {}
  SourceSlot(SourceSlot&& other) noexcept
      : ips_(std::exchange(other.ips_, nullptr)), source_(std::move(other.source_)) {}
  SourceSlot(const SourceSlot&) = delete;
  SourceSlot& operator=(const SourceSlot&) = delete;
  SourceSlot& operator=(SourceSlot&&) = delete;
  ~SourceSlot() {
    if (ips_) ips_->connections().release(source_);
  }

 private:
  ips::Ips* ips_;
  std::string source_;
};

// Before the handshake: a blocked source, or one over its connection limit, is refused
// (audited) and gets nothing; otherwise its slot.
std::optional<SourceSlot> admit_source(Context& ctx, const std::string& source);
// After the certificate check: false (audited) when the terminal is blocked.
bool admit_terminal(Context& ctx);
// After the inspection of a request: its anomaly score and refusal are charged to its
// terminal (or source); a threshold crossed blocks it and closes its connections.
void charge_inspection(const RequestView& view, Context& ctx);
// A scan or flood in the tunnel `session`: a "vpn-packet-alert" record and a metric, and an
// offence of the terminal; a threshold crossed blocks it, which ends the tunnel.
void charge_tunnel_alert(Context& ctx, const std::string& session, const vpn::ScanAlert& alert);

// Writes the blocks in force to the policy's ips.state_file, when it names one; a failure
// is an error in the journal and an "ips-state" audit record (the blocks stay in force).
void persist_blocks(Services& services);

// Audits `block` ("ips-block", actor "ips" or the operator), counts it, keeps it in the
// state file and closes the subject's connections; answers how many were closed.
std::size_t enforce_block(Services& services, const ips::Block& block, const std::string& actor);

}  // namespace nanbyo::gw
