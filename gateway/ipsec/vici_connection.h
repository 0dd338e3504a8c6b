// ViciClient over charon's UNIX socket with Boost.Asio coroutines (vici_client.h says the
// contract). Internal to gateway/ipsec/: others use make_vici_client().
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "gateway/ipsec/vici_client.h"

namespace nanbyo::ipsec {

using gw::awaitable;
using UnixSocket =
    boost::asio::basic_stream_socket<boost::asio::local::stream_protocol, gw::Executor>;

class ViciConnection final : public ViciClient {
 public:
  ViciConnection(gw::Executor executor, std::chrono::milliseconds timeout);

  awaitable<Result<void>> connect(std::string socket_path) override;
  bool is_open() const override { return socket_.is_open(); }
  void close() override;

  awaitable<Result<ViciSection>> command(std::string name, ViciSection request) override;
  awaitable<Result<std::vector<ViciSection>>> streamed(std::string name, std::string event,
                                                       ViciSection request) override;

  awaitable<Result<void>> subscribe(std::vector<std::string> events) override;
  awaitable<Result<ViciPacket>> next_event() override;

 private:
  awaitable<Result<void>> write(const ViciPacket& packet);
  // Reads one packet, within the timeout when asked.
  awaitable<Result<ViciPacket>> read(bool with_timeout);
  awaitable<Result<void>> event_request(ViciPacketType type, const std::string& name);
  Error broken(const std::string& what);

  UnixSocket socket_;
  std::chrono::milliseconds timeout_;
  boost::asio::basic_waitable_timer<
      std::chrono::steady_clock, boost::asio::wait_traits<std::chrono::steady_clock>, gw::Executor>
      timer_;
};

}  // namespace nanbyo::ipsec
