#include "gateway/ips_enforcement.h"

#include <mutex>

#include "gateway/audit_sink.h"
#include "gateway/ips/block_store.h"
#include "gateway/session_context.h"
#include "gateway/stages/request_chain.h"
#include "service/journal.h"

namespace nanbyo::gw {

ips::Settings ips_settings_of(const policy::Policy& policy) {
  ips::Settings out;
  if (!policy.ips) return out;
  const policy::Ips& in = *policy.ips;
  out.thresholds = {in.window, in.anomaly_score, in.blocked_requests, in.failed_logins};
  out.block_duration = in.block_duration;
  out.request_rate = in.requests_per_second;
  out.request_burst = in.request_burst;
  out.connections_per_source = in.connections_per_source;
  return out;
}

std::optional<SourceSlot> admit_source(Context& ctx, const std::string& source) {
  Services& services = ctx.services;
  if (auto block = services.ips.blocked({ips::SubjectKind::Source, source})) {
    services.metrics.ips_refused++;
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
