// nanbyo-tund: the only part of the VPN that keeps a privilege (CAP_NET_ADMIN). It creates and
// configures one TUN interface per request of the gateway and hands the descriptor over its
// UNIX socket, so the network-facing nanbyo-gateway runs with no capability (issue 13).
#include <linux/capability.h>
#include <systemd/sd-daemon.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "gateway/privileges/capabilities.h"
#include "gateway/privileges/service_user.h"
#include "gateway/tund/tund_server.h"
#include "policy/loader.h"
#include "service/version.h"

namespace {

using nanbyo::Result;
using nanbyo::tund::UniqueFd;

int failed(const std::string& message) {
  std::cerr << "nanbyo-tund: error: " << message << "\n";
  return 1;
}

// systemd's socket (nanbyo-tund.socket) when there is one, else our own at `path`.
Result<UniqueFd> listener(const std::string& path, gid_t group) {
  const int passed = sd_listen_fds(1);
  if (passed == 1) {
    if (sd_is_socket_unix(SD_LISTEN_FDS_START, SOCK_SEQPACKET, 1, nullptr, 0) <= 0) {
      return nanbyo::fail(
          "systemd passed a socket that is not a listening SOCK_SEQPACKET one "
          "(ListenSequentialPacket= in nanbyo-tund.socket)");
    }
    return UniqueFd(SD_LISTEN_FDS_START);
  }
  if (passed > 1) return nanbyo::fail("systemd passed more than one socket");
  if (path.empty()) return nanbyo::fail("--socket is required without socket activation");
  return nanbyo::tund::listen_on(path, group);
}

}  // namespace

int main(int argc, char** argv) {
  std::string policy_file = "/etc/nanbyo/gateway.yaml";
  std::string socket_path;
  std::string gateway_user = "_nanbyo-gw";
  CLI::App app{"nanbyo-tund: creates TUN interfaces for nanbyo-gateway's VPN sessions"};
  app.add_option("--policy", policy_file, "the gateway's policy (its vpn section)")
      ->capture_default_str();
  app.add_option("--socket", socket_path,
                 "UNIX socket to serve (without systemd socket activation)");
  app.add_option("--gateway-user", gateway_user, "the only user (besides root) that may ask")
      ->capture_default_str();
  app.set_version_flag("--version", nanbyo::service::version());
  CLI11_PARSE(app, argc, argv);

  auto policy = nanbyo::policy::load_policy_file(policy_file);
  if (!policy) return failed(policy.error().message);
  if (!(*policy)->vpn) return failed(policy_file + ": no vpn section: nothing to serve");
  auto limits = nanbyo::tund::limits_from_policy(*(*policy)->vpn);
  if (!limits) return failed(limits.error().message);
  auto user = nanbyo::privileges::find_service_user(gateway_user);
  if (!user) return failed(user.error().message);
  auto socket = listener(socket_path, user->gid);
  if (!socket) return failed(socket.error().message);

  // From here on CAP_NET_ADMIN is all we hold, and no execve can give anything back.
  if (auto kept = nanbyo::privileges::limit_capabilities({CAP_NET_ADMIN}); !kept) {
    return failed(kept.error().message);
  }
  if (auto locked = nanbyo::privileges::forbid_new_privileges(); !locked) {
    return failed(locked.error().message);
  }
  std::cerr << "nanbyo-tund: serving " << gateway_user << " (uid " << user->uid << ") for pool "
            << limits->pool.to_string() << ", gateway end " << limits->gateway.to_string()
            << std::endl;
  sd_notify(0, "READY=1");
  nanbyo::tund::ServerOptions options{limits.value(), user->uid, [](const std::string& line) {
                                        std::cerr << "nanbyo-tund: " << line << std::endl;
                                      }};
  auto served = nanbyo::tund::serve(socket->get(), options);
  return failed(served.error().message);
}
