// `nanbyo-appcore break-glass unlock|reset-password ID` (issue 12): for an
// operator with a shell on the appliance when no administrator can log in.
// Works straight on the database with the master key, reading the service's
// configuration file; records into its own audit log beside the service's
// (break-glass.jsonl: the service holds its own file's lock while it runs).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "appcore/web/config.h"

namespace nanbyo::web {

struct BreakGlassArgs {
  std::string action;  // "unlock" or "reset-password"
  std::string user_id;
  std::string log;  // "" = break-glass.jsonl beside --audit-log
  std::string credentials_dir = "/etc/nanbyo/credentials";  // for credential:NAME
};

// Registers the subcommand on `app`; returns it.
CLI::App* add_break_glass_command(CLI::App& app, WebConfig& config, BreakGlassArgs& args);
// Before the master key path is resolved: outside systemd, credential:NAME
// means the file under args.credentials_dir.
void prepare_break_glass_credentials(const BreakGlassArgs& args);
int run_break_glass(const WebConfig& config, const BreakGlassArgs& args);

}  // namespace nanbyo::web
