// Listening sockets handed over by systemd socket activation (issue 13): with
// nanbyo-gateway.socket the service never needs CAP_NET_BIND_SERVICE, not even at start.
#pragma once

#include <map>

#include "gateway/asio.h"

namespace nanbyo::gw {

// The listening TCP sockets of $LISTEN_FDS (sd_listen_fds), keyed by their local address;
// other descriptors are left alone. Empty outside socket activation. Call it before anything
// opens a file, while the descriptors from 3 on are still the ones systemd passed.
std::map<tcp::endpoint, int> take_inherited_listeners();

}  // namespace nanbyo::gw
