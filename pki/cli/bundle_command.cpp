// nanbyo-pki bundle: the per-hospital media (O-1). The README on them tells the hospital what
// its PCs reach while connected, so the command must know the gateway's tunnel mode
// (vpn.mode, issue 15): read from the gateway's policy, or stated with --tunnel.
#include "pki/cli/context.h"
#include "pki/hospital_bundle.h"
#include "policy/loader.h"

namespace nanbyo::pki::cli {
namespace {

// Whether the media describe a full tunnel (S-6) or a split one.
Result<bool> media_full_tunnel(const std::string& policy_file, const std::string& tunnel) {
  if (policy_file.empty() && tunnel.empty()) {
    return fail(
        "the media state what the PCs reach while connected: give the gateway's policy "
        "(--policy /etc/nanbyo/gateway.yaml) or --tunnel full|split");
  }
  if (!tunnel.empty()) return tunnel == "full";
  auto loaded = policy::load_policy_file(policy_file);
  if (!loaded) return loaded.error();
  const auto& vpn = (*loaded)->vpn;
  if (!vpn) {
    return fail(policy_file +
                " has no vpn section: the media are for PCs that connect through the VPN");
  }
  return vpn->mode == policy::TunnelMode::Full;
}

}  // namespace

void add_bundle_command(CLI::App& app, Context& ctx) {
  static BundleOptions options;
  static std::string out, policy_file, tunnel;
  auto* bundle = app.add_subcommand("bundle", "write the per-hospital media (O-1)");
  bundle->add_option("--hospital", options.hospital, "医療機関番号")->required();
  bundle->add_option("--server", options.server, "gateway host[:port] the PCs connect to")
      ->required();
  bundle->add_option("--out", out, "directory to create the bundle in (default: <dir>/bundles)");
  bundle->add_flag("--private-server-ca", options.private_server_ca,
                   "the gateway's certificate is this CA's: add the name-constrained root");
  auto* from_policy = bundle->add_option(
      "--policy", policy_file, "the gateway's policy: its vpn.mode is what the README states");
  bundle
      ->add_option("--tunnel", tunnel,
                   "full: while connected the PCs reach only the system; split: only the "
                   "service's traffic enters the tunnel (instead of --policy)")
      ->check(CLI::IsMember({"full", "split"}))
      ->excludes(from_policy);
  bundle->callback([&ctx] {
    options.out_dir = out;
    auto full = media_full_tunnel(policy_file, tunnel);
    if (!full) return ctx.report(full.error());
    options.full_tunnel = *full;
    auto ca = ctx.open_ca();
    if (!ca) return ctx.report(ca.error());
    auto made = make_hospital_bundle(**ca, options);
    if (!made) return ctx.report(made.error());
    std::cout << "bundle for hospital " << options.hospital << " with " << made->terminals.size()
              << " PC certificate(s): " << made->dir.string() << "\n"
              << "  the PCs' PKCS#12 files are on the media only; the CA keeps no copy\n"
              << (options.full_tunnel
                      ? "  README-ja.txt: full tunnel, the PCs reach only the system while "
                        "connected\n"
                      : "  README-ja.txt: split tunnel, the PCs keep their other access while "
                        "connected\n");
    for (const auto& file : made->leftovers) {
      std::cerr << "nanbyo-pki: warning: could not delete " << file << "; delete it by hand\n";
    }
  });
}

}  // namespace nanbyo::pki::cli
