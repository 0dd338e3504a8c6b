#include "appcore/web/break_glass_command.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "appcore/core/app_core.h"
#include "pki/audit/audit_log.h"

namespace nanbyo::web {
namespace {

appcore::BreakGlassActor os_actor() {
  appcore::BreakGlassActor who;
  who.uid = static_cast<long>(::getuid());
  passwd entry{}, *found = nullptr;
  char buffer[4096];
  if (::getpwuid_r(::getuid(), &entry, buffer, sizeof buffer, &found) == 0 && found)
    who.os_user = found->pw_name;
  else
    who.os_user = "uid-" + std::to_string(who.uid);
  if (const char* sudo = std::getenv("SUDO_USER")) who.sudo_user = sudo;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) who.host = host;
  return who;
}

int fail_with(const std::string& message) {
  std::cerr << "nanbyo-appcore break-glass: " << message << "\n";
  return 1;
}

}  // namespace

CLI::App* add_break_glass_command(CLI::App& app, WebConfig& config, BreakGlassArgs& args) {
  auto* cmd = app.add_subcommand(
      "break-glass",
      "an operator with a shell on the appliance unlocks an account or resets its password "
      "(audited as break-glass with the OS user)");
  add_core_options(*cmd, config);
  cmd->add_option("action", args.action, "unlock | reset-password")
      ->required()
      ->check(CLI::IsMember({"unlock", "reset-password"}));
  cmd->add_option("user_id", args.user_id, "the account, e.g. O0000001")->required();
  cmd->add_option("--break-glass-log", args.log,
                  "this command's audit log (default: break-glass.jsonl beside --audit-log)");
  cmd->add_option("--credentials-dir", args.credentials_dir,
                  "where credential:NAME files are outside systemd")
      ->capture_default_str();
  return cmd;
}

void prepare_break_glass_credentials(const BreakGlassArgs& args) {
  if (!std::getenv("CREDENTIALS_DIRECTORY"))
    ::setenv("CREDENTIALS_DIRECTORY", args.credentials_dir.c_str(), 1);
}

int run_break_glass(const WebConfig& config, const BreakGlassArgs& args) {
  SystemClock clock;
  const std::filesystem::path log_path =
      args.log.empty() ? std::filesystem::path(config.audit_log).parent_path() / "break-glass.jsonl"
                       : std::filesystem::path(args.log);
  auto log = audit::AuditLog::open(log_path, clock);
  if (!log) return fail_with(log.error().message);
  auto sink = audit::make_log_sink(**log);
  auto core = appcore::AppCore::open(config.core, clock, *sink);
  if (!core) return fail_with(core.error().message);
  const auto who = os_actor();
  if (args.action == "unlock") {
    auto r = (*core)->break_glass_unlock(who, args.user_id);
    if (!r) return fail_with(r.error().message);
    std::cout << "unlocked " << args.user_id << " (recorded in " << log_path.string() << ")\n";
  } else {
    auto r = (*core)->break_glass_reset_password(who, args.user_id);
    if (!r) return fail_with(r.error().message);
    // Shown once, as the IDPW notice would show it.
    std::cout << "user_id " << r->user_id << "\ninitial_password " << r->initial_password
              << "\nexpires " << r->password_expires_at << "\n";
  }
  std::cerr << "note: a running nanbyo-appcore keeps its own login waits; they lapse within "
            << config.core.login_throttle.account_cap.count() << " seconds\n";
  return 0;
}

}  // namespace nanbyo::web
