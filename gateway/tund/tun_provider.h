// Where a VPN session gets its TUN interface (issue 13): a seam between the tunnel code and the
// privilege that creating an interface needs (CAP_NET_ADMIN).
//  - local: this process creates it (a gateway that runs as root: development, `make run`);
//  - helper: nanbyo-tund creates it and hands the descriptor over its UNIX socket, so the
//    network-facing gateway holds no capability.
// open() blocks for the helper's few syscalls; it is called on a worker thread, as the local
// netlink exchange always was.
#pragma once

#include <filesystem>
#include <memory>

#include "gateway/tund/tun_device.h"
#include "pki/result.h"

namespace nanbyo::gw {

class TunProvider {
 public:
  virtual ~TunProvider() = default;
  virtual Result<TunDevice> open(const TunConfig& config) = 0;
};

std::unique_ptr<TunProvider> make_local_tun_provider();
// One connection to `socket` per interface; the helper decides the gateway end and the name.
std::unique_ptr<TunProvider> make_helper_tun_provider(std::filesystem::path socket);

}  // namespace nanbyo::gw
