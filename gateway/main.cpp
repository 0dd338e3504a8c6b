// nanbyo-gateway: the appliance's only Internet-facing process (S-1, S-2, S-8).
//
// Start-up runs privileged only as long as it must (issue 13): the policy is read, the audit
// log opened, the listeners bound and the control bus joined; then, before any thread starts,
// the process switches to --user, clears every capability set, sets no_new_privs and installs
// its syscall filter. TUN interfaces then come from nanbyo-tund (--tun-helper).
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>
#include <thread>

#include "gateway/control/caller_accounts.h"
#include "gateway/control/dbus_service.h"
#include "gateway/gateway.h"
#include "gateway/privileges/drop_privileges.h"
#include "pki/audit/audit_sink.h"
#include "service/journal.h"
#include "service/version.h"

namespace {

using nanbyo::Result;
using nanbyo::gw::dbus::BusChoice;
using nanbyo::gw::dbus::DbusControlService;
using nanbyo::service::Priority;

void log(Priority priority, const std::string& message) {
  nanbyo::service::log(priority, "nanbyo-gateway", message);
}

struct Options {
  std::string policy_file = "/etc/nanbyo/gateway.yaml";
  std::string bus;
  std::string user;
  std::string tun_helper;
  std::string admin_group;
  std::vector<std::string> revoke_user_callers;
  bool syscall_filter = true;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
};

// --control-bus wins over the policy's admin.control_bus; "none" disables it.
std::optional<BusChoice> control_bus(const std::string& option,
                                     const nanbyo::policy::Policy& policy) {
  if (option == "none") return std::nullopt;
  if (!option.empty()) {
    auto parsed = BusChoice::parse(option);
    if (parsed) return parsed.value();
    log(Priority::Error, "--control-bus: " + parsed.error().message);
    return std::nullopt;
  }
  switch (policy.admin.control_bus.kind) {
    case nanbyo::policy::ControlBus::Kind::System:
      return BusChoice::system();
    case nanbyo::policy::ControlBus::Kind::Session:
      return BusChoice::session();
    case nanbyo::policy::ControlBus::Kind::Address:
      return BusChoice::at(policy.admin.control_bus.address);
  }
  return std::nullopt;
}

// The control bus is how operators and the application core revoke live sessions; without
// it the gateway still serves and still follows the CRL.
// Who besides root may change things over the bus (caller.h), from account names.
Result<DbusControlService::Options> control_options(const Options& options, BusChoice bus) {
  DbusControlService::Options out;
  out.bus = std::move(bus);
  if (!options.admin_group.empty()) {
    auto admins = nanbyo::gw::dbus::uids_in_group(options.admin_group);
    if (!admins) return nanbyo::fail("--control-admin-group: " + admins.error().message);
    out.allowed_uids = admins.value();
  }
  auto callers = nanbyo::gw::dbus::uids_of_users(options.revoke_user_callers);
  if (!callers) return nanbyo::fail("--control-revoke-user-caller: " + callers.error().message);
  out.revoke_user_uids = callers.value();
  return out;
}

std::unique_ptr<DbusControlService> join_control_bus(nanbyo::gw::Gateway& gateway,
                                                     const Options& options) {
  auto policy = gateway.services().runtime.current()->policy;
  auto bus = control_bus(options.bus, *policy);
  if (!bus) return nullptr;
  auto service_options = control_options(options, *bus);
  auto service = service_options
                     ? DbusControlService::start(gateway, gateway.control(), *service_options)
                     : Result<std::unique_ptr<DbusControlService>>(service_options.error());
  if (service) return std::move(service.value());
  log(Priority::Warning, "control bus unavailable: " + service.error().message);
  nanbyo::audit::AuditEvent event{
      "control-bus-unavailable",           nanbyo::audit::Outcome::Deny, "system", "", "",
      {{"error", service.error().message}}};
  gateway.services().audit->record(std::move(event));
  return nullptr;
}

// A gateway started as root without --user keeps root (development: `make run`); every
// other start gives every privilege up.
Result<void> give_privileges_up(const Options& options, nanbyo::gw::Gateway& gateway) {
  const bool keep_root = geteuid() == 0 && options.user.empty();
  if (keep_root) {
    log(Priority::Warning,
        "running as root without --user; the network-facing process keeps every privilege");
    return {};
  }
  if (gateway.services().vpn != nullptr && options.tun_helper.empty()) {
    return nanbyo::fail("the vpn section needs --tun-helper once privileges are dropped");
  }
  nanbyo::privileges::DropPlan plan;
  if (!options.user.empty()) {
    NANBYO_TRY(user, nanbyo::privileges::find_service_user(options.user));
    plan.user = user;
  }
  plan.syscall_filter = options.syscall_filter;
  return nanbyo::privileges::drop_privileges(plan);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"nanbyo-gateway: mutual-TLS reverse proxy and VPN gateway"};
  app.add_option("--policy", options.policy_file, "policy file (YAML)")->capture_default_str();
  app.add_option("--threads", options.threads, "worker threads (one io_context each)")
      ->capture_default_str();
  app.add_option("--control-bus", options.bus,
                 "system | session | a D-Bus address | none (default: the policy's)");
  app.add_option("--user", options.user,
                 "after binding, run as this user with no capability (e.g. _nanbyo-gw)");
  app.add_option("--tun-helper", options.tun_helper,
                 "nanbyo-tund's socket: where VPN sessions get their TUN interfaces");
  app.add_option("--control-admin-group", options.admin_group,
                 "members may disconnect, revoke and reload over the control bus (nanbyo-admin)");
  app.add_option("--control-revoke-user-caller", options.revoke_user_callers,
                 "this user may call RevokeUser only (the application core: _nanbyo-app)");
  app.add_flag("!--no-syscall-filter", options.syscall_filter,
               "do not install the seccomp filter after the privilege drop");
  app.set_version_flag("--version", nanbyo::service::version());
  CLI11_PARSE(app, argc, argv);

  nanbyo::SystemClock clock;
  nanbyo::gw::Gateway gateway(options.policy_file, options.threads, clock);
  if (!options.tun_helper.empty()) {
    gateway.set_tun_provider(nanbyo::gw::make_helper_tun_provider(options.tun_helper));
  }
  std::unique_ptr<DbusControlService> control;
  auto started = gateway.start([&]() -> Result<void> {
    control = join_control_bus(gateway, options);
    return give_privileges_up(options, gateway);
  });
  if (!started) {
    log(Priority::Error, started.error().message);
    control.reset();
    return 1;
  }
  log(Priority::Info, "serving with policy " + options.policy_file + " on " +
                          std::to_string(options.threads) + " thread(s)" +
                          (control ? ", control on D-Bus" : "") +
                          (geteuid() == 0 ? "" : ", unprivileged"));
  gateway.run();
  control.reset();
  return 0;
}
