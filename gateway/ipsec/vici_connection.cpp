#include "gateway/ipsec/vici_connection.h"

#include <memory>

namespace nanbyo::ipsec {

namespace asio = boost::asio;
using gw::use_awaitable;

ViciConnection::ViciConnection(gw::Executor executor, std::chrono::milliseconds timeout)
    : socket_(executor), timeout_(timeout), timer_(executor) {}

std::unique_ptr<ViciClient> make_vici_client(gw::Executor executor,
                                             std::chrono::milliseconds timeout) {
  return std::make_unique<ViciConnection>(executor, timeout);
}

void ViciConnection::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

Error ViciConnection::broken(const std::string& what) {
  close();
  return fail(what);
}

awaitable<Result<void>> ViciConnection::connect(std::string socket_path) {
  close();
  boost::system::error_code ec;
  co_await socket_.async_connect(asio::local::stream_protocol::endpoint(socket_path),
                                 asio::redirect_error(use_awaitable, ec));
  if (ec) co_return broken("VICI: cannot connect to " + socket_path + ": " + ec.message());
  co_return Result<void>{};
}

awaitable<Result<void>> ViciConnection::write(const ViciPacket& packet) {
  auto bytes = encode_packet(packet);
  if (!bytes) co_return bytes.error();
  boost::system::error_code ec;
  co_await asio::async_write(socket_, asio::buffer(*bytes),
                             asio::redirect_error(use_awaitable, ec));
  wipe_bytes(*bytes);
  if (ec) co_return broken("VICI: write failed: " + ec.message());
  co_return Result<void>{};
}

awaitable<Result<ViciPacket>> ViciConnection::read(bool with_timeout) {
  // A silent charon must not hold the controller's queue: the timer closes the socket.
  // The flag outlives this frame: an expiry already queued when the read completes must
  // not close the socket of the next command.
  auto timed_out = std::make_shared<bool>(false);
  auto finished = std::make_shared<bool>(false);
  if (with_timeout) {
    timer_.expires_after(timeout_);
    timer_.async_wait([this, timed_out, finished](boost::system::error_code ec) {
      if (ec || *finished) return;
      *timed_out = true;
      close();
    });
  }
  struct Finish {
    decltype(timer_)& timer;
    std::shared_ptr<bool> finished;
    ~Finish() {
      *finished = true;
      timer.cancel();
    }
  } finish{timer_, finished};

  std::string header(kViciLengthBytes, '\0');
  boost::system::error_code ec;
  co_await asio::async_read(socket_, asio::buffer(header), asio::redirect_error(use_awaitable, ec));
  if (*timed_out) co_return broken("VICI: charon did not answer within the timeout");
  if (ec) co_return broken("VICI: connection to charon lost: " + ec.message());
  auto length = parse_length(header);
  if (!length) co_return broken(length.error().message);
  std::string body(*length, '\0');
  co_await asio::async_read(socket_, asio::buffer(body), asio::redirect_error(use_awaitable, ec));
  if (*timed_out) co_return broken("VICI: charon did not answer within the timeout");
  if (ec) co_return broken("VICI: connection to charon lost: " + ec.message());
  auto packet = parse_packet(body);
  if (!packet) co_return broken(packet.error().message);
  co_return std::move(*packet);
}

Result<ViciSection> checked_response(ViciSection response, const std::string& command) {
  if (const std::string* success = response.value("success"); success && *success != "yes") {
    return fail("VICI: " + command + " failed: " + response.get("errmsg", "no reason given"));
  }
  return response;
}

awaitable<Result<ViciSection>> ViciConnection::command(std::string name, ViciSection request) {
  // A named packet, not a braced temporary inside co_await: g++ 12 destroys those twice.
  ViciPacket outgoing{ViciPacketType::CmdRequest, name, std::move(request)};
  auto sent = co_await write(outgoing);
  outgoing.message.wipe();
  if (!sent) co_return sent.error();
  for (;;) {
    auto packet = co_await read(true);
    if (!packet) co_return packet.error();
    switch (packet->type) {
      case ViciPacketType::CmdResponse:
        co_return checked_response(std::move(packet->message), name);
      case ViciPacketType::CmdUnknown:
        co_return fail("VICI: charon does not know the command " + name);
      case ViciPacketType::Event:
        continue;  // a stray event of an earlier registration
      default:
        co_return broken(std::string("VICI: unexpected ") + to_string(packet->type) +
                         " in answer to " + name);
    }
  }
}

awaitable<Result<void>> ViciConnection::event_request(ViciPacketType type,
                                                      const std::string& name) {
  const ViciPacket outgoing{type, name, {}};
  if (auto sent = co_await write(outgoing); !sent) co_return sent.error();
  for (;;) {
    auto packet = co_await read(true);
    if (!packet) co_return packet.error();
    if (packet->type == ViciPacketType::EventConfirm) co_return Result<void>{};
    if (packet->type == ViciPacketType::EventUnknown) {
      co_return fail("VICI: charon does not know the event " + name);
    }
    if (packet->type != ViciPacketType::Event) {
      co_return broken(std::string("VICI: unexpected ") + to_string(packet->type) +
                       " in answer to registering " + name);
    }
  }
}

awaitable<Result<std::vector<ViciSection>>> ViciConnection::streamed(std::string name,
                                                                     std::string event,
                                                                     ViciSection request) {
  if (auto registered = co_await event_request(ViciPacketType::EventRegister, event); !registered) {
    co_return registered.error();
  }
  // A named packet, not a braced temporary inside co_await: g++ 12 destroys those twice.
  ViciPacket outgoing{ViciPacketType::CmdRequest, name, std::move(request)};
  auto sent = co_await write(outgoing);
  outgoing.message.wipe();
  if (!sent) co_return sent.error();
  std::vector<ViciSection> events;
  for (;;) {
    auto packet = co_await read(true);
    if (!packet) co_return packet.error();
    if (packet->type == ViciPacketType::Event && packet->name == event) {
      events.push_back(std::move(packet->message));
      continue;
    }
    if (packet->type == ViciPacketType::CmdUnknown) {
      co_return fail("VICI: charon does not know the command " + name);
    }
    if (packet->type != ViciPacketType::CmdResponse) {
      co_return broken(std::string("VICI: unexpected ") + to_string(packet->type) + " during " +
                       name);
    }
    auto response = checked_response(std::move(packet->message), name);
    if (!response) co_return response.error();
    break;
  }
  if (auto unregistered = co_await event_request(ViciPacketType::EventUnregister, event);
      !unregistered) {
    co_return unregistered.error();
  }
  co_return events;
}

awaitable<Result<void>> ViciConnection::subscribe(std::vector<std::string> events) {
  for (const auto& event : events) {
    if (auto registered = co_await event_request(ViciPacketType::EventRegister, event);
        !registered) {
      co_return registered.error();
    }
  }
  co_return Result<void>{};
}

awaitable<Result<ViciPacket>> ViciConnection::next_event() {
  for (;;) {
    auto packet = co_await read(false);
    if (!packet) co_return packet.error();
    if (packet->type == ViciPacketType::Event) co_return packet;
    co_return broken(std::string("VICI: unexpected ") + to_string(packet->type) +
                     " on the event connection");
  }
}

}  // namespace nanbyo::ipsec
