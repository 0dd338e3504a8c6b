#include "gateway/tund/tun_provider.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "gateway/tund/fd_passing.h"
#include "gateway/tund/tun_request.h"

namespace nanbyo::gw {
namespace {

constexpr timeval kHelperTimeout{2, 0};

class LocalTunProvider final : public TunProvider {
 public:
  Result<TunDevice> open(const TunConfig& config) override { return TunDevice::create(config); }
};

class HelperTunProvider final : public TunProvider {
 public:
  explicit HelperTunProvider(std::filesystem::path socket) : socket_(std::move(socket)) {}

  Result<TunDevice> open(const TunConfig& config) override {
    NANBYO_TRY(connection, connect_helper());
    NANBYO_TRY_VOID(
        tund::send_message(connection.get(), tund::encode_request({config.peer, config.mtu})));
    NANBYO_TRY(answer, tund::receive_message(connection.get(), tund::kMaxMessage));
    NANBYO_TRY(name, tund::parse_reply(answer.text));
    if (!answer.fd) return fail("the TUN helper answered without a descriptor");
    return TunDevice::adopt(answer.fd.release(), std::move(name));
  }

 private:
  Result<tund::UniqueFd> connect_helper() const {
    const std::string where = "TUN helper " + socket_.string();
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_.native().size() >= sizeof(address.sun_path)) return fail(where + ": path too long");
    std::memcpy(address.sun_path, socket_.c_str(), socket_.native().size());
    tund::UniqueFd fd(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
    if (!fd) return fail(where + ": socket: " + std::strerror(errno));
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &kHelperTimeout, sizeof(kHelperTimeout));
    setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &kHelperTimeout, sizeof(kHelperTimeout));
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
      return fail(where + ": connect: " + std::strerror(errno));
    }
    return fd;
  }

  std::filesystem::path socket_;
};

}  // namespace

std::unique_ptr<TunProvider> make_local_tun_provider() {
  return std::make_unique<LocalTunProvider>();
}

std::unique_ptr<TunProvider> make_helper_tun_provider(std::filesystem::path socket) {
  return std::make_unique<HelperTunProvider>(std::move(socket));
}

}  // namespace nanbyo::gw
