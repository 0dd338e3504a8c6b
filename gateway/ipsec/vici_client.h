// The VICI client over charon's UNIX socket (issue 16, S-10), C++20 coroutines on one
// io_context. One connection carries one command at a time (VICI has no sequence numbers):
// the caller serialises them (ipsec_controller.cpp runs them from one queue). Events go to
// a connection of their own (subscribe() then next_event()). Every malformed packet from the
// socket is an error result, never a crash; the connection is closed after it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "gateway/asio.h"
#include "gateway/ipsec/vici_packet.h"
#include "pki/result.h"

namespace nanbyo::ipsec {

using gw::awaitable;
using UnixSocket =
    boost::asio::basic_stream_socket<boost::asio::local::stream_protocol, gw::Executor>;

class ViciConnection {
 public:
  explicit ViciConnection(gw::Executor executor,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

  awaitable<Result<void>> connect(std::string socket_path);
  bool is_open() const { return socket_.is_open(); }
  void close();

  // One command and its response. CMD_UNKNOWN, a response with success=no (its errmsg), a
  // broken packet or a timeout are errors.
  awaitable<Result<ViciSection>> command(std::string name, ViciSection request = {});
  // A streaming command (list-sas, list-certs, list-conns): registers `event`, sends the
  // command, gathers the events until the response, unregisters.
  awaitable<Result<std::vector<ViciSection>>> streamed(std::string name, std::string event,
                                                       ViciSection request = {});

  // Event subscriptions: register each name, then read events one by one (no timeout).
  awaitable<Result<void>> subscribe(std::vector<std::string> events);
  awaitable<Result<ViciPacket>> next_event();

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

// A response with `success = no` as an error carrying charon's errmsg.
Result<ViciSection> checked_response(ViciSection response, const std::string& command);

}  // namespace nanbyo::ipsec
