// nanbyo-pki: the operators' command for the system CA and user keys.
#include <cstdlib>

#include "pki/cli/context.h"
#include "service/version.h"

int main(int argc, char** argv) {
  using namespace nanbyo::pki::cli;
  Context ctx;
  const char* env_dir = std::getenv("NANBYO_PKI_DIR");
  ctx.dir = env_dir && *env_dir ? env_dir : "var/pki";

  CLI::App app{"nanbyo-pki: certificate authority and user keys of the Nanbyo-Shoman DB appliance"};
  app.option_defaults()->always_capture_default();
  app.add_option("--dir", ctx.dir, "CA directory (env NANBYO_PKI_DIR)");
  app.add_option("--passphrase-file", ctx.passphrase_file,
                 "passphrase of the CA keys (env NANBYO_PKI_PASSPHRASE_FILE, credential "
                 "nanbyo-pki-passphrase)");
  app.set_version_flag("--version", nanbyo::service::version());
  app.require_subcommand(1);
  add_ca_commands(app, ctx);
  add_bundle_command(app, ctx);
  add_key_commands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return ctx.exit_code;
}
