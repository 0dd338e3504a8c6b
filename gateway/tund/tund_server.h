// nanbyo-tund's loop (issue 13): on a SOCK_SEQPACKET UNIX socket, one connection per TUN
// interface from the gateway's user (SO_PEERCRED, checked per connection), one request
// (tun_request.h), admitted within the helper's own limits (tun_limits.h), answered with the
// interface's descriptor. Connections are served one at a time; a peer that does not send its
// request within 2 s is dropped, so a stuck gateway thread cannot hold the helper.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <string>

#include "gateway/tund/fd_passing.h"
#include "gateway/tund/tun_limits.h"
#include "pki/result.h"

namespace nanbyo::tund {

// Binds `path` (a stale socket there is replaced; any other file is refused), owned by the
// caller (root in production) and `group`, mode 0660: only they can connect.
Result<UniqueFd> listen_on(const std::filesystem::path& path, gid_t group);

struct ServerOptions {
  TunLimits limits;
  uid_t allowed_uid = 0;                        // the gateway's user; root is always allowed
  std::function<void(const std::string&)> log;  // one line per decision
};

// Never returns except when accept() fails for good.
Result<void> serve(int listener, const ServerOptions& options);

// One connection: exposed for tests. Returns the line it logged.
std::string serve_one(int connection, const ServerOptions& options);

}  // namespace nanbyo::tund
