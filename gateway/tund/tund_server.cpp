#include "gateway/tund/tund_server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "pki/errno_text.h"

namespace nanbyo::tund {
namespace {

constexpr timeval kPeerTimeout{2, 0};

Result<ucred> peer_of(int connection) {
  ucred peer{};
  socklen_t size = sizeof(peer);
  if (getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0) {
    return fail("SO_PEERCRED: " + errno_text());
  }
  return peer;
}

// The refusal line for the log, after telling the peer.
std::string refuse(int connection, const std::string& who, const std::string& why) {
  (void)send_message(connection, encode_error(why));
  return "refused " + who + ": " + why;
}

}  // namespace

Result<UniqueFd> listen_on(const std::filesystem::path& path, gid_t group) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.native().size() >= sizeof(address.sun_path)) return fail(path.string() + ": too long");
  std::memcpy(address.sun_path, path.c_str(), path.native().size());
  struct stat existing {};
  if (lstat(path.c_str(), &existing) == 0) {
    if (!S_ISSOCK(existing.st_mode)) return fail(path.string() + " exists and is not a socket");
    ::unlink(path.c_str());
  }
  UniqueFd fd(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (!fd) return fail("socket: " + errno_text());
  const mode_t old_mask = ::umask(0177);  // never connectable by others, not even briefly
  const int bound = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  ::umask(old_mask);
  if (bound != 0) return fail("cannot bind " + path.string() + ": " + errno_text());
  // The owner stays who bound it (root in production); the group becomes the gateway's.
  if (::chown(path.c_str(), static_cast<uid_t>(-1), group) != 0 ||
      ::chmod(path.c_str(), 0660) != 0) {
    return fail("cannot give " + path.string() + " to its group: " + errno_text());
  }
  if (::listen(fd.get(), 64) != 0) return fail("listen: " + errno_text());
  return fd;
}

std::string serve_one(int connection, const ServerOptions& options) {
  auto peer = peer_of(connection);
  if (!peer) return refuse(connection, "a peer", peer.error().message);
  const std::string who = "pid " + std::to_string(peer->pid) + " uid " + std::to_string(peer->uid);
  setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &kPeerTimeout, sizeof(kPeerTimeout));
  setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &kPeerTimeout, sizeof(kPeerTimeout));
  // The request is read (and nothing done with it) before a stranger is refused, so that the
  // refusal reaches a peer that sends first and reads second, as the gateway does.
  auto message = receive_message(connection, kMaxMessage);
  if (peer->uid != options.allowed_uid && peer->uid != 0) {
    return refuse(connection, who, "uid " + std::to_string(peer->uid) + " may not ask");
  }
  if (!message) return refuse(connection, who, message.error().message);
  if (message->fd) return refuse(connection, who, "a request carries no descriptor");
  auto request = parse_request(message->text);
  if (!request) return refuse(connection, who, request.error().message);
  auto config = admit(request.value(), options.limits);
  if (!config) return refuse(connection, who, config.error().message);
  auto device = gw::TunDevice::create(config.value());
  if (!device) return refuse(connection, who, device.error().message);
  if (auto sent = send_message(connection, encode_ok(device->name()), device->fd()); !sent) {
    return "could not hand " + device->name() + " to " + who + ": " + sent.error().message;
  }
  // Our copy closes here; the interface lives as long as the gateway keeps its descriptor.
  return "created " + device->name() + " for " + who + ": " + config->peer.to_string() + " mtu " +
         std::to_string(config->mtu);
}

Result<void> serve(int listener, const ServerOptions& options) {
  for (;;) {
    UniqueFd connection(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
    if (!connection) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE) {
        ::usleep(100'000);  // a descriptor may come free; do not spin meanwhile
        continue;
      }
      return fail("accept: " + errno_text());
    }
    const std::string line = serve_one(connection.get(), options);
    if (options.log) options.log(line);
  }
}

}  // namespace nanbyo::tund
