// ViciClient: the seam between the gateway and charon (CONVENTIONS rule 2). One connection
// to charon's VICI socket carries one command at a time (VICI has no sequence numbers): the
// caller serialises them (ipsec_controller.cpp runs them from one queue); events go to a
// connection of their own (subscribe() then next_event()). Every malformed packet from the
// socket is an error result, never a crash, and closes the connection.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gateway/asio.h"
#include "gateway/ipsec/vici_packet.h"
#include "pki/result.h"

namespace nanbyo::ipsec {

class ViciClient {
 public:
  virtual ~ViciClient() = default;

  virtual gw::awaitable<Result<void>> connect(std::string socket_path) = 0;
  virtual bool is_open() const = 0;
  virtual void close() = 0;

  // One command and its response. CMD_UNKNOWN, a response with success=no (its errmsg), a
  // broken packet or a timeout are errors.
  virtual gw::awaitable<Result<ViciSection>> command(std::string name,
                                                     ViciSection request = {}) = 0;
  // A streaming command (list-sas, list-certs, list-conns): registers `event`, sends the
  // command, gathers the events until the response, unregisters.
  virtual gw::awaitable<Result<std::vector<ViciSection>>> streamed(std::string name,
                                                                   std::string event,
                                                                   ViciSection request = {}) = 0;
  // Event subscriptions: register each name, then read events one by one (no timeout).
  virtual gw::awaitable<Result<void>> subscribe(std::vector<std::string> events) = 0;
  virtual gw::awaitable<Result<ViciPacket>> next_event() = 0;
};

// A client over charon's UNIX socket; answers slower than `timeout` are errors.
std::unique_ptr<ViciClient> make_vici_client(
    gw::Executor executor, std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A response with `success = no` as an error carrying charon's errmsg.
Result<ViciSection> checked_response(ViciSection response, const std::string& command);

}  // namespace nanbyo::ipsec
