#include "gateway/tund/tun_device.h"

// glibc's <net/if.h> before <linux/if.h>: the other order declares the IFF_* flags twice.
#include <net/if.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "pki/errno_text.h"

namespace nanbyo::gw {
namespace {

struct MnlSocketClose {
  void operator()(mnl_socket* s) const { mnl_socket_close(s); }
};
using MnlSocket = std::unique_ptr<mnl_socket, MnlSocketClose>;

// Sends one request with NLM_F_ACK and reads the kernel's answer: ok or its errno.
Result<void> exchange(mnl_socket* nl, nlmsghdr* request, const char* what) {
  static std::atomic<std::uint32_t> sequence{0};
  request->nlmsg_seq = ++sequence;
  if (mnl_socket_sendto(nl, request, request->nlmsg_len) < 0) {
    return fail(std::string(what) + ": netlink send: " + errno_text(errno));
  }
  std::vector<char> answer(MNL_SOCKET_BUFFER_SIZE);
  const ssize_t n = mnl_socket_recvfrom(nl, answer.data(), answer.size());
  if (n < 0) return fail(std::string(what) + ": netlink receive: " + errno_text(errno));
  if (mnl_cb_run(answer.data(), n, request->nlmsg_seq, mnl_socket_get_portid(nl), nullptr,
                 nullptr) < 0) {
    return fail(std::string(what) + ": " + errno_text(errno));
  }
  return {};
}

Result<void> add_address(mnl_socket* nl, unsigned index, const TunConfig& config) {
  std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE);
  nlmsghdr* nlh = mnl_nlmsg_put_header(buffer.data());
  nlh->nlmsg_type = RTM_NEWADDR;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
  auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
  ifa->ifa_family = AF_INET;
  ifa->ifa_prefixlen = 32;
  ifa->ifa_scope = RT_SCOPE_UNIVERSE;
  ifa->ifa_index = index;
  const std::uint32_t local = htonl(config.local.to_uint());
  const std::uint32_t peer = htonl(config.peer.to_uint());
  mnl_attr_put_u32(nlh, IFA_LOCAL, local);
  mnl_attr_put_u32(nlh, IFA_ADDRESS, peer);  // point-to-point: the route to the client
  return exchange(nl, nlh, "address");
}

Result<void> set_up_with_mtu(mnl_socket* nl, unsigned index, unsigned mtu) {
  std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE);
  nlmsghdr* nlh = mnl_nlmsg_put_header(buffer.data());
  nlh->nlmsg_type = RTM_NEWLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  auto* ifi = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = static_cast<int>(index);
  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
  return exchange(nl, nlh, "link up");
}

}  // namespace

Result<TunDevice> TunDevice::create(const TunConfig& config) {
  const int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return fail("cannot open /dev/net/tun: " + errno_text(errno));
  TunDevice device(fd, "");
  ifreq request{};
  request.ifr_flags = IFF_TUN | IFF_NO_PI;
  std::strncpy(request.ifr_name, config.name_pattern.c_str(), IFNAMSIZ - 1);
  if (::ioctl(fd, TUNSETIFF, &request) < 0) {
    return fail("cannot create a TUN interface: " + errno_text(errno));
  }
  device.name_ = request.ifr_name;
  const unsigned index = if_nametoindex(request.ifr_name);
  if (index == 0) return fail(device.name_ + ": no interface index: " + errno_text(errno));

  MnlSocket nl(mnl_socket_open(NETLINK_ROUTE));
  if (!nl || mnl_socket_bind(nl.get(), 0, MNL_SOCKET_AUTOPID) < 0) {
    return fail("cannot open a netlink socket: " + errno_text(errno));
  }
  if (auto ok = add_address(nl.get(), index, config); !ok) {
    return fail(device.name_ + ": " + ok.error().message);
  }
  if (auto ok = set_up_with_mtu(nl.get(), index, config.mtu); !ok) {
    return fail(device.name_ + ": " + ok.error().message);
  }
  return device;
}

TunDevice::TunDevice(TunDevice&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), name_(std::move(other.name_)) {}

TunDevice& TunDevice::operator=(TunDevice&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    name_ = std::move(other.name_);
  }
  return *this;
}

TunDevice::~TunDevice() {
  if (fd_ >= 0) ::close(fd_);
}

int TunDevice::release() {
  return std::exchange(fd_, -1);
}

}  // namespace nanbyo::gw
