// One TUN interface per VPN session (issue 4): created when a tunnel opens, given the
// point-to-point address pair (gateway end, client end), the negotiated MTU and brought up
// over rtnetlink (libmnl). The kernel deletes a non-persistent TUN interface when its last
// descriptor closes, so owning the descriptor releases the interface on every exit path.
// Needs CAP_NET_ADMIN: the unprivileged gateway gets its devices from nanbyo-tund
// (tun_provider.h). The netlink exchange is a few local syscalls, done inline.
#pragma once

#include <string>

#include "pki/result.h"
#include "policy/net/cidr.h"

namespace nanbyo::gw {

struct TunConfig {
  net::Ipv4Address local;  // the gateway's end
  net::Ipv4Address peer;   // the client's tunnel address (X-CSTP-Address)
  unsigned mtu = 1400;
  std::string name_pattern = "nbvpn%d";  // the kernel picks the number
};

class TunDevice {
 public:
  static Result<TunDevice> create(const TunConfig& config);
  // Takes over a descriptor created elsewhere (nanbyo-tund hands it over a UNIX socket).
  static TunDevice adopt(int fd, std::string name) { return TunDevice(fd, std::move(name)); }

  TunDevice(TunDevice&& other) noexcept;
  TunDevice& operator=(TunDevice&& other) noexcept;
  TunDevice(const TunDevice&) = delete;
  TunDevice& operator=(const TunDevice&) = delete;
  ~TunDevice();

  int fd() const { return fd_; }
  // Hands the descriptor (non-blocking) to its new owner, e.g. an Asio stream_descriptor.
  int release();
  const std::string& name() const { return name_; }

 private:
  TunDevice(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  int fd_ = -1;
  std::string name_;
};

}  // namespace nanbyo::gw
