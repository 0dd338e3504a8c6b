// Every live client connection, so that the operator can list them and a
// revocation can end them from any thread (S-8).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace nanbyo::gw {

struct PeerIdentity {
  std::string serial;    // client certificate serial (canonical hex), empty without one
  std::string hospital;  // 医療機関番号
  std::string terminal;
  std::string issuer_serial;  // the issuing CA's serial, so its revocation ends these too
};

// A connection as the registry sees it. close() may be called from any thread:
// implementations post the close to the connection's own executor.
class LiveConnection {
 public:
  virtual ~LiveConnection() = default;
  virtual void close(const std::string& reason) = 0;

  uint64_t id = 0;
  std::string peer;      // address:port
  std::string listener;  // listener name
  PeerIdentity identity;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<uint64_t> bytes_in{0};
  std::atomic<uint64_t> bytes_out{0};
  std::atomic<uint64_t> requests{0};

  // The application user seen on this connection (from the upstream), if any.
  std::string user() const;
  void set_user(const std::string& user);

  // https until the connection becomes a VPN tunnel with this address; an IPsec SA says ipsec.
  virtual std::string kind() const;
  std::string tunnel_address() const;
  void set_tunnel_address(const std::string& address);

 private:
  mutable std::mutex user_mutex_;
  std::string user_;
  std::string tunnel_address_;
};

struct ConnectionSummary {
  uint64_t id;
  std::string peer, listener, kind, serial, hospital, terminal, user;
  uint64_t bytes_in, bytes_out, requests;
  double age_seconds;
  std::string address;  // the VPN tunnel's address; empty for https
};

class ConnectionRegistry {
 public:
  uint64_t add(const std::shared_ptr<LiveConnection>& connection);
  void remove(uint64_t id);
  std::vector<ConnectionSummary> list() const;
  std::size_t size() const;
  // Closes every connection `match` selects; answers how many.
  std::size_t close_where(const std::function<bool(const LiveConnection&)>& match,
                          const std::string& reason);

 private:
  mutable std::mutex mutex_;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, std::weak_ptr<LiveConnection>> connections_;
};

}  // namespace nanbyo::gw
