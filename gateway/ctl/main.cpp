// nanbyoctl: the operator's command line for a running nanbyo-gateway (over
// D-Bus, org.nanbyo.Gateway1) and for checking audit logs offline.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "gateway/contract/bus_choice.h"
#include "gateway/ctl/audit_command.h"
#include "gateway/ctl/block_commands.h"
#include "gateway/ctl/bus_commands.h"
#include "service/version.h"

namespace {

CLI::App* with_json(CLI::App* command, bool& json) {
  command->add_flag("--json", json, "print JSON instead of text");
  return command;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace nanbyo;
  CLI::App app{"nanbyoctl: control a running nanbyo-gateway and verify audit logs"};
  app.name("nanbyoctl");
  app.fallthrough();  // --bus may also follow the subcommand
  app.set_version_flag("--version", nanbyo::service::version());
  app.require_subcommand(1);

  std::string bus_text = "system";
  app.add_option("--bus", bus_text, "system, session, or a D-Bus address like unix:path=/run/x/bus")
      ->envname("NANBYO_BUS")
      ->capture_default_str();

  bool json = false;
  auto* list = with_json(app.add_subcommand("connections", "list open connections"), json);
  list->alias("list");
  auto* stats = with_json(app.add_subcommand("stats", "show the gateway's counters"), json);

  uint64_t id = 0;
  auto* disconnect = with_json(app.add_subcommand("disconnect", "end one connection"), json);
  disconnect->add_option("ID", id, "connection id (from nanbyoctl connections)")->required();

  std::string serial;
  auto* revoke_cert = with_json(
      app.add_subcommand("revoke-cert", "revoke a certificate serial now; ends its connections"),
      json);
  revoke_cert->add_option("SERIAL", serial, "certificate serial (hex)")->required();

  std::string user;
  auto* revoke_user = with_json(
      app.add_subcommand("revoke-user", "end a user's sessions; older sessions are refused"), json);
  revoke_user->add_option("USER", user, "user id")->required();

  auto* reload = app.add_subcommand("reload", "re-read the policy (a bad one is refused)");

  // Intrusion prevention (issue 14).
  auto* blocks =
      with_json(app.add_subcommand("blocks", "list blocked terminals and sources"), json);
  std::string kind, value, duration = "1h", reason = "blocked by an operator";
  auto* block = with_json(
      app.add_subcommand("block", "block a terminal or source address; ends its connections"),
      json);
  block->add_option("KIND", kind, "terminal (a certificate serial) or source (an IP address)")
      ->required();
  block->add_option("VALUE", value, "the serial or address")->required();
  block->add_option("--for", duration, "how long: seconds, or 15m, 2h, 1d (at most 30d)")
      ->capture_default_str();
  block->add_option("--reason", reason, "why, for the audit log and the list")
      ->capture_default_str();
  auto* unblock = with_json(app.add_subcommand("unblock", "lift a block"), json);
  unblock->add_option("KIND", kind, "terminal or source")->required();
  unblock->add_option("VALUE", value, "the serial or address")->required();

  ctl::AuditCommands audit(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    return ctl::report_error(std::string(e.what()) + " (see nanbyoctl --help)");
  }

  if (auto code = audit.run()) return *code;

  auto bus = gw::dbus::BusChoice::parse(bus_text);
  if (!bus) return ctl::report_error("--bus: " + bus.error().message);
  if (*list) return ctl::list_connections(*bus, json);
  if (*stats) return ctl::show_statistics(*bus, json);
  if (*disconnect) return ctl::disconnect(*bus, id, json);
  if (*revoke_cert) return ctl::revoke_certificate(*bus, serial, json);
  if (*revoke_user) return ctl::revoke_user(*bus, user, json);
  if (*reload) return ctl::reload(*bus);
  if (*blocks) return ctl::list_blocks(*bus, json);
  if (*block) return ctl::block(*bus, kind, value, duration, reason, json);
  if (*unblock) return ctl::lift_block(*bus, kind, value, json);
  return ctl::report_error("no command given (see nanbyoctl --help)");
}
