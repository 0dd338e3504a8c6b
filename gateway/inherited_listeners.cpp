#include "gateway/inherited_listeners.h"

#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <iostream>

namespace nanbyo::gw {

std::map<tcp::endpoint, int> take_inherited_listeners() {
  std::map<tcp::endpoint, int> out;
  const int count = sd_listen_fds(1);
  for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + std::max(count, 0); ++fd) {
    tcp::endpoint local;
    socklen_t size = static_cast<socklen_t>(local.capacity());
    if (sd_is_socket(fd, AF_UNSPEC, SOCK_STREAM, 1) <= 0 ||
        ::getsockname(fd, local.data(), &size) != 0) {
      std::cerr << "nanbyo-gateway: warning: ignoring descriptor " << fd
                << " from systemd: not a listening TCP socket\n";
      continue;
    }
    local.resize(size);
    out.emplace(local, fd);
  }
  return out;
}

}  // namespace nanbyo::gw
