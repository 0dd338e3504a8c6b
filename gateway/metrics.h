// Counters for the Prometheus text exposition on the admin listener.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace nanbyo::gw {

struct Metrics {
  std::atomic<uint64_t> connections_accepted{0};
  std::atomic<uint64_t> handshakes_failed{0};
  std::atomic<uint64_t> certificates_rejected{0};
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> requests_refused{0};
  std::atomic<uint64_t> upstream_errors{0};
  std::atomic<uint64_t> upstream_timeouts{0};
  std::atomic<uint64_t> revocation_closes{0};
  std::atomic<uint64_t> slow_clients_closed{0};
  std::atomic<uint64_t> bytes_in{0};
  std::atomic<uint64_t> bytes_out{0};
  std::atomic<uint64_t> policy_reloads{0};
  std::atomic<uint64_t> policy_reloads_failed{0};
  std::atomic<uint64_t> vpn_logins{0};
  std::atomic<uint64_t> vpn_logins_refused{0};
  std::atomic<uint64_t> vpn_tunnels_opened{0};
  std::atomic<uint64_t> vpn_tunnels_refused{0};
  std::atomic<uint64_t> vpn_packets_in{0};   // client to service, passed
  std::atomic<uint64_t> vpn_packets_out{0};  // service to client
  std::atomic<uint64_t> vpn_packets_dropped{0};
  std::atomic<uint64_t> vpn_packets_outside_service{0};  // of those: a full tunnel's other traffic
  std::atomic<uint64_t> vpn_frames_rejected{0};
  // Packet-level detection in the tunnels (issue 15): alerts by kind.
  std::atomic<uint64_t> vpn_alerts_port_scan{0};
  std::atomic<uint64_t> vpn_alerts_host_scan{0};
  std::atomic<uint64_t> vpn_alerts_flood{0};
  // HTTP inspection (S-3): requests inspected, those with alerts, those blocked, and the
  // alerts by rule family.
  std::atomic<uint64_t> geoip_refused{0};  // connections from a country a listener refuses
  std::atomic<uint64_t> inspection_requests{0};
  std::atomic<uint64_t> inspection_prefiltered{0};  // cleared by the prefilter, engine skipped
  std::atomic<uint64_t> inspection_alerted{0};
  std::atomic<uint64_t> inspection_blocked{0};
  std::atomic<uint64_t> inspection_alerts_sqli{0};
  std::atomic<uint64_t> inspection_alerts_xss{0};
  std::atomic<uint64_t> inspection_alerts_lfi{0};
  std::atomic<uint64_t> inspection_alerts_rce{0};
  std::atomic<uint64_t> inspection_alerts_protocol{0};
  std::atomic<uint64_t> inspection_alerts_other{0};
  // Intrusion prevention: blocks made (thresholds and operators), connections of blocked
  // subjects refused, requests over a source's rate, connections over a source's limit.
  std::atomic<uint64_t> ips_blocks{0};
  std::atomic<uint64_t> ips_refused{0};
  std::atomic<uint64_t> ips_rate_limited{0};
  std::atomic<uint64_t> ips_source_connections_refused{0};

  // Counts one alert under its family's counter.
  void count_alert(const std::string& family);

  struct Counter {
    const char* name;  // snake_case, without prefix or _total
    const char* help;
    uint64_t value;
  };
  // One list for the Prometheus text and the control bus's Statistics().
  std::vector<Counter> counters() const;

  // Prometheus text format 0.0.4; `open_connections` is sampled by the caller.
  std::string render(std::size_t open_connections) const;
};

}  // namespace nanbyo::gw
