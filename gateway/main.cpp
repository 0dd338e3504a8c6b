// nanbyo-gateway: the appliance's only Internet-facing process (S-1, S-2, S-8).
#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>
#include <thread>

#include "gateway/audit_sink.h"
#include "gateway/control/dbus_service.h"
#include "gateway/gateway.h"
#include "service/journal.h"
#include "service/version.h"

namespace {

using nanbyo::gw::dbus::BusChoice;
using nanbyo::service::Priority;

void log(Priority priority, const std::string& message) {
  nanbyo::service::log(priority, "nanbyo-gateway", message);
}

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

}  // namespace

int main(int argc, char** argv) {
  std::string policy_file = "/etc/nanbyo/gateway.yaml";
  std::string bus_option;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  CLI::App app{"nanbyo-gateway: mutual-TLS reverse proxy and VPN gateway"};
  app.add_option("--policy", policy_file, "policy file (YAML)")->capture_default_str();
  app.add_option("--threads", threads, "worker threads (one io_context each)")
      ->capture_default_str();
  app.add_option("--control-bus", bus_option,
                 "system | session | a D-Bus address | none (default: the policy's)");
  app.set_version_flag("--version", nanbyo::service::version());
  CLI11_PARSE(app, argc, argv);

  nanbyo::SystemClock clock;
  nanbyo::gw::Gateway gateway(policy_file, threads, clock);
  if (auto started = gateway.start(); !started) {
    log(Priority::Error, started.error().message);
    return 1;
  }

  // The control bus is how operators and the application core revoke live
  // sessions; without it the gateway still serves and still follows the CRL.
  std::unique_ptr<nanbyo::gw::dbus::DbusControlService> control;
  auto policy = gateway.services().runtime.current()->policy;
  if (auto bus = control_bus(bus_option, *policy)) {
    nanbyo::gw::dbus::DbusControlService::Options options;
    options.bus = *bus;
    auto service = nanbyo::gw::dbus::DbusControlService::start(gateway, gateway.control(), options);
    if (service) {
      control = std::move(service.value());
    } else {
      log(Priority::Warning, "control bus unavailable: " + service.error().message);
      nanbyo::audit::AuditEvent event{
          "control-bus-unavailable",           nanbyo::audit::Outcome::Deny, "system", "", "",
          {{"error", service.error().message}}};
      gateway.services().audit->record(std::move(event));
    }
  }
  log(Priority::Info, "serving with policy " + policy_file + " on " + std::to_string(threads) +
                          " thread(s)" + (control ? ", control on D-Bus" : ""));
  gateway.run();
  control.reset();
  return 0;
}
