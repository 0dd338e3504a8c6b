// The Gateway's intrusion-prevention controls (ControlApi; issue 14): operators' blocks and
// lifts (nanbyoctl), and the failed logins the application core reports.
#include "gateway/gateway.h"
#include "gateway/ips/block_store.h"
#include "gateway/ips_enforcement.h"
#include "pki/names.h"
#include "service/journal.h"

namespace nanbyo::gw {
namespace {

// The subject as the gateway stores it: a serial in canonical hex, a source as its key
// (ips::source_key: IPv4, or an IPv6 address's /64).
Result<ips::Subject> canonical(const ips::Subject& subject) {
  if (subject.kind == ips::SubjectKind::Terminal) {
    auto serial = pki::normalize_serial(subject.value);
    if (!serial) return fail("not a certificate serial: " + serial.error().message);
    return ips::Subject{subject.kind, *serial};
  }
  auto source = ips::source_key(subject.value);
  if (!source) return fail("not an IP address: \"" + subject.value + "\"");
  return ips::Subject{subject.kind, *source};
}

}  // namespace

// A state file that does not read is an error in the journal and the audit log; the
// gateway starts without those blocks rather than not at all.
void Gateway::restore_ips_blocks(const policy::Policy& policy) {
  if (!policy.ips || policy.ips->state_file.empty()) return;
  auto blocks = ips::load_blocks(policy.ips->state_file);
  if (!blocks) {
    service::log(service::Priority::Error, "nanbyo-gateway",
                 "IPS blocks not restored: " + blocks.error().message);
    audit("ips-restore", audit::Outcome::Deny, "system", policy.ips->state_file.string(),
          {{"detail", blocks.error().message}});
    return;
  }
  services_.ips.restore(*blocks);
  audit("ips-restore", audit::Outcome::Info, "system", policy.ips->state_file.string(),
        {{"blocks", std::to_string(blocks->size())}});
}

std::vector<ips::Block> Gateway::blocks() {
  return services_.ips.blocks();
}

Result<std::size_t> Gateway::block(const ips::Subject& subject, std::chrono::seconds duration,
                                   const std::string& reason, const std::string& requested_by) {
  NANBYO_TRY(target, canonical(subject));
  if (duration.count() <= 0) return fail("a block needs a duration of at least one second");
  const ips::Block made = services_.ips.block(target, duration, reason);
  if (ipsec_) ipsec_->verdicts_changed();
  return enforce_block(services_, made, requested_by);
}

Result<bool> Gateway::lift(const ips::Subject& subject, const std::string& requested_by) {
  NANBYO_TRY(target, canonical(subject));
  const bool lifted = services_.ips.lift(target);
  if (lifted) persist_blocks(services_);
  if (lifted && ipsec_) ipsec_->verdicts_changed();
  audit("ips-lift", lifted ? audit::Outcome::Allow : audit::Outcome::Info, requested_by,
        target.value, {{"subject", ips::describe(target)}, {"lifted", lifted ? "yes" : "no"}});
  return lifted;
}

bool Gateway::report_failed_login(const std::string& serial, const std::string& source,
                                  const std::string& reported_by) {
  std::string terminal = serial;
  if (auto normalized = pki::normalize_serial(serial); !serial.empty() && normalized) {
    terminal = *normalized;
  }
  const ips::Subject subject =
      ips::charged_subject(terminal, ips::source_key(source).value_or(source));
  auto made =
      services_.ips.charge(subject, ips::Offence::FailedLogin, 1, services_.runtime.current()->ips);
  if (!made) return false;
  enforce_block(services_, *made, "ips (failed logins reported by " + reported_by + ")");
  return true;
}

}  // namespace nanbyo::gw
