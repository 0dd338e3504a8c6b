#include "gateway/ips_enforcement.h"

#include <map>
#include <mutex>

#include "gateway/ips/block_store.h"
#include "gateway/session_context.h"
#include "gateway/stages/request_chain.h"
#include "pki/audit/audit_sink.h"
#include "service/journal.h"

namespace nanbyo::gw {

ips::Settings ips_settings_of(const policy::Policy& policy) {
  ips::Settings out;
  if (!policy.ips) return out;
  const policy::Ips& in = *policy.ips;
  out.thresholds = {in.window, in.anomaly_score, in.blocked_requests, in.failed_logins,
                    in.tunnel_alerts};
  out.block_duration = in.block_duration;
  out.request_rate = in.requests_per_second;
  out.request_burst = in.request_burst;
  out.connections_per_source = in.connections_per_source;
  return out;
}

vpn::ScanLimits tunnel_scan_limits_of(const policy::Policy& policy) {
  if (!policy.ips) return {};
  const policy::TunnelDetection& in = policy.ips->tunnel;
  return {in.window, in.ports_per_host, in.hosts, in.probes_per_second, in.probe_burst};
}

std::optional<SourceSlot> admit_source(Context& ctx, const std::string& source) {
  Services& services = ctx.services;
  if (auto block = services.ips.blocked({ips::SubjectKind::Source, source})) {
    services.metrics.ips_refused++;
    services.metrics.refused(RefusalReason::SourceBlocked);
    ctx.audit("connection-reject", audit::Outcome::Deny,
              {{"check", "ips-blocked"},
               {"subject", ips::describe(block->subject)},
               {"reason", block->reason},
               {"seconds-left", std::to_string(ips::seconds_left(*block))}});
    return std::nullopt;
  }
  const unsigned limit = ctx.runtime->ips.connections_per_source;
  ips::Admission admitted = services.ips.connections().acquire(source, limit);
  if (!admitted.allowed) {
    services.metrics.ips_source_connections_refused++;
    services.metrics.refused(RefusalReason::SourceConnectionLimit);
    if (admitted.first_refusal) {
      ctx.audit("connection-reject", audit::Outcome::Deny,
                {{"check", "source-connection-limit"}, {"limit", std::to_string(limit)}});
    }
    return std::nullopt;
  }
  return SourceSlot(services.ips, source);
}

bool admit_terminal(Context& ctx) {
  if (ctx.identity.serial.empty()) return true;
  auto block = ctx.services.ips.blocked({ips::SubjectKind::Terminal, ctx.identity.serial});
  if (!block) return true;
  ctx.services.metrics.ips_refused++;
  ctx.services.metrics.refused(RefusalReason::SourceBlocked);
  ctx.audit("connection-reject", audit::Outcome::Deny,
            {{"check", "ips-blocked"},
             {"subject", ips::describe(block->subject)},
             {"reason", block->reason},
             {"seconds-left", std::to_string(ips::seconds_left(*block))}});
  return false;
}

void charge_inspection(const RequestView& view, Context& ctx) {
  const InspectionResult& result = view.inspection;
  if (!result.inspected || result.alerts.empty()) return;
  const ips::Settings& settings = ctx.runtime->ips;
  const ips::Subject subject =
      ips::charged_subject(ctx.identity.serial, ips::source_of_peer(ctx.peer));
  std::optional<ips::Block> block;
  if (result.anomaly_score > 0) {
    block = ctx.services.ips.charge(subject, ips::Offence::Anomaly,
                                    static_cast<unsigned>(result.anomaly_score), settings);
  }
  if (!block && result.blocked) {
    block = ctx.services.ips.charge(subject, ips::Offence::BlockedRequest, 1, settings);
  }
  if (block) enforce_block(ctx.services, *block, "ips");
}

void charge_tunnel_alert(Context& ctx, const std::string& session, const vpn::ScanAlert& alert) {
  Metrics& metrics = ctx.services.metrics;
  switch (alert.kind) {
    case vpn::ScanKind::PortScan:
      metrics.vpn_alerts_port_scan++;
      break;
    case vpn::ScanKind::HostScan:
      metrics.vpn_alerts_host_scan++;
      break;
    case vpn::ScanKind::Flood:
      metrics.vpn_alerts_flood++;
      break;
  }
  const vpn::ScanLimits& limits = ctx.runtime->tunnel_scans;
  std::map<std::string, std::string> detail{{"kind", std::string(vpn::to_string(alert.kind))},
                                            {"count", std::to_string(alert.count)},
                                            {"threshold", std::to_string(alert.threshold)},
                                            {"window-s", std::to_string(limits.window.count())},
                                            {"session", session}};
  if (alert.kind == vpn::ScanKind::Flood) {
    detail["burst"] = std::to_string(limits.probe_burst > 0 ? limits.probe_burst : alert.threshold);
  }
  if (alert.target) detail["target"] = alert.target->to_string();
  ctx.audit("vpn-packet-alert", audit::Outcome::Deny, std::move(detail));
  const ips::Subject subject =
      ips::charged_subject(ctx.identity.serial, ips::source_of_peer(ctx.peer));
  if (auto block =
          ctx.services.ips.charge(subject, ips::Offence::TunnelAlert, 1, ctx.runtime->ips)) {
    enforce_block(ctx.services, *block, "ips");
  }
}

void persist_blocks(Services& services) {
  const auto runtime = services.runtime.current();
  if (!runtime->policy->ips || runtime->policy->ips->state_file.empty()) return;
  // One writer at a time, so the file never ends with an older snapshot than the last change.
  static std::mutex writing;
  std::lock_guard lock(writing);
  const auto& file = runtime->policy->ips->state_file;
  auto saved = ips::save_blocks(file, services.ips.blocks());
  if (saved) return;
  service::log(service::Priority::Error, "nanbyo-gateway",
               "cannot keep the IPS blocks in " + file.string() + ": " + saved.error().message);
  if (services.audit) {
    services.audit->record({"ips-state",
                            audit::Outcome::Deny,
                            "ips",
                            file.string(),
                            "",
                            {{"detail", saved.error().message}}});
  }
}

std::size_t enforce_block(Services& services, const ips::Block& block, const std::string& actor) {
  services.metrics.ips_blocks++;
  persist_blocks(services);
  const std::string reason = "blocked (" + ips::describe(block.subject) + "): " + block.reason;
  const ips::Subject& subject = block.subject;
  const std::size_t closed = services.registry.close_where(
      [&subject](const LiveConnection& c) {
        return subject.kind == ips::SubjectKind::Terminal
                   ? c.identity.serial == subject.value
                   : ips::source_of_peer(c.peer) == subject.value;
      },
      reason);
  if (services.audit) {
    services.audit->record({"ips-block",
                            audit::Outcome::Deny,
                            actor,
                            subject.value,
                            "",
                            {{"subject", ips::describe(subject)},
                             {"origin", block.origin},
                             {"reason", block.reason},
                             {"seconds", std::to_string(ips::seconds_left(block))},
                             {"connections-closed", std::to_string(closed)}}});
  }
  return closed;
}

}  // namespace nanbyo::gw
