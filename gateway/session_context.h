// What the handlers of one client connection share: the TLS stream type, the connection as
// the registry sees it, and the per-connection context (runtime snapshot, identity, audit).
// The HTTPS proxy (https_session.cpp) and the VPN (vpn_login.cpp, vpn_tunnel.cpp) use it.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "gateway/asio.h"
#include "gateway/connection_registry.h"
#include "gateway/deadline.h"
#include "gateway/services.h"
#include "pki/audit/audit_sink.h"

namespace nanbyo::gw {

using Stream = beast::ssl_stream<TcpStream>;

// The registry's handle on this connection. close() may come from any thread; it runs on the
// connection's own executor, where the stream lives. A VPN tunnel installs a close handler
// so that it can kill its session cookie and say goodbye in CSTP before the socket goes.
class Connection final : public LiveConnection, public std::enable_shared_from_this<Connection> {
 public:
  Connection(Executor executor, Services& services)
      : executor_(std::move(executor)), services_(services) {}

  void attach(Stream* stream) { stream_ = stream; }
  void detach() { stream_ = nullptr; }
  const std::string& close_reason() const { return close_reason_; }

  // Runs on the connection's executor instead of the plain socket shutdown.
  void set_close_handler(std::function<void(const std::string&)> handler) {
    close_handler_ = std::move(handler);
  }

  // The time from this call (the revocation or the operator's disconnect) to the socket's
  // close is the revocation-to-close histogram.
  void close(const std::string& reason) override {
    const auto asked = std::chrono::steady_clock::now();
    asio::post(executor_, [self = shared_from_this(), reason, asked] {
      if (!self->stream_ || !self->close_reason_.empty()) return;
      self->close_reason_ = reason;
      self->services_.metrics.revocation_closes++;
      if (self->close_handler_) {
        self->close_handler_(reason);
      } else {
        self->shutdown_socket();
      }
      self->services_.metrics.revocation_close_seconds.observe(std::chrono::steady_clock::now() -
                                                               asked);
    });
  }

  // On the connection's executor only.
  void shutdown_socket() {
    if (!stream_) return;
    beast::error_code ec;
    beast::get_lowest_layer(*stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(*stream_).socket().close(ec);
  }

 private:
  Executor executor_;
  Services& services_;
  Stream* stream_ = nullptr;
  std::string close_reason_;
  std::function<void(const std::string&)> close_handler_;
};

struct Context {
  Services& services;
  Worker& worker;
  std::shared_ptr<const Runtime> runtime;  // refreshed per request: reloads reach open connections
  uint64_t generation = 0;
  const policy::Listener* listener;
  std::string peer;
  PeerIdentity identity;
  std::string wire;              // the header of the response being written, reused (http_wire.h)
  std::string added_fields;      // the identity stage's lines for the upstream, reused
  Deadline* deadline = nullptr;  // of the client connection, once its stream exists
  ListenerMetrics* listener_metrics = nullptr;  // the listener's slot, resolved at accept

  void audit(const std::string& event, audit::Outcome outcome,
             std::map<std::string, std::string> detail) const {
    if (!services.audit) return;
    detail["listener"] = listener->name;
    if (!identity.hospital.empty()) detail["hospital"] = identity.hospital;
    if (!identity.terminal.empty()) detail["terminal"] = identity.terminal;
    services.audit->record({event, outcome, identity.serial.empty() ? "-" : identity.serial, "",
                            peer, std::move(detail)});
  }
};

}  // namespace nanbyo::gw
