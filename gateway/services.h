// What every connection of the gateway shares, and what each worker thread owns.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "gateway/asio.h"
#include "gateway/connection_registry.h"
#include "gateway/ips/ips.h"
#include "gateway/metrics.h"
#include "gateway/revocation_bus.h"
#include "gateway/upstream_pool.h"
#include "gateway/vpn/scan_detector.h"
#include "policy/policy.h"

namespace nanbyo::audit {
class AuditLog;
class AuditSink;
}  // namespace nanbyo::audit

namespace nanbyo::gw {

class Inspector;
class CountryDb;
class TunProvider;
struct VpnProfile;
struct VpnState;

// An immutable snapshot: the policy and the TLS contexts built from it and the
// CRL of the moment. Reload and CRL changes build a new one and swap it; a
// connection keeps the snapshot it started with.
struct Runtime {
  std::shared_ptr<const policy::Policy> policy;
  std::map<std::string, std::shared_ptr<ssl::context>> tls;  // by listener name
  std::shared_ptr<const VpnProfile> vpn;                     // when the policy has a vpn section
  std::shared_ptr<const Inspector> inspector;                // when it has an inspection section
  std::shared_ptr<const CountryDb> geoip;                    // when it has a geoip section
  ips::Settings ips;             // thresholds and limits (none without an ips section)
  vpn::ScanLimits tunnel_scans;  // per tunnel (nothing detected without an ips section)
};

class RuntimeHolder {
 public:
  std::shared_ptr<const Runtime> current() const { return current_.load(); }
  void replace(std::shared_ptr<const Runtime> next) {
    current_.store(std::move(next));
    generation_.fetch_add(1, std::memory_order_release);
  }
  // Changes with every replace(): a connection compares it per request and
  // loads the snapshot (a contended refcount) only after a reload.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  std::atomic<std::shared_ptr<const Runtime>> current_;
  std::atomic<uint64_t> generation_{0};
};

struct Services {
  RuntimeHolder runtime;
  ConnectionRegistry registry;
  RevocationBus revocations{registry};
  ips::Ips ips;  // blocks and offence counts outlive the Runtime snapshots
  Metrics metrics;
  audit::AuditSink* audit = nullptr;
  VpnState* vpn = nullptr;                   // owned by the Gateway; null without a vpn section
  TunProvider* tun = nullptr;                // owned by the Gateway; set with vpn
  std::atomic<std::size_t> open_sockets{0};  // accepted, handshake or not (max_connections)
};

// Per worker thread (one io_context each).
struct Worker {
  asio::io_context& io;
  UpstreamPool upstreams;
  std::string request_id_prefix;  // random per worker; ids are unique, not secret
  uint64_t next_request = 0;
  explicit Worker(asio::io_context& context);
};

}  // namespace nanbyo::gw
