// Counters and histograms for the Prometheus text exposition on the admin listener
// (metrics_text.h renders them with the gauges). The per-request path only adds to relaxed
// atomics whose slots are resolved in advance: a listener's at start (listener names cannot
// change on reload), a refusal reason's and a certificate check's by enum value.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/histogram.h"
#include "pki/audit/illicit_operations.h"

namespace nanbyo::gw {

// What one listener counts; the label listener="<name>".
struct ListenerMetrics {
  explicit ListenerMetrics(std::string listener_name) : name(std::move(listener_name)) {}
  const std::string name;
  std::atomic<uint64_t> connections{0};  // accepted TCP connections
  std::atomic<uint64_t> requests{0};     // HTTP requests read
  metrics::Histogram request_seconds;    // request read to response written
  metrics::Histogram handshake_seconds;  // TLS handshakes that succeeded
};

// Why the gateway refused a connection or a request: the label reason="...".
enum class RefusalReason : std::size_t {
  ConnectionLimit,        // limits.max_connections
  SourceBlocked,          // IPS block of the source or terminal
  SourceConnectionLimit,  // IPS per-source connection limit
  Country,                // GeoIP allow-list
  Handshake,              // TLS handshake failed (the check is in certificate_checks)
  Certificate,            // certificate refused after the handshake
  BadRequest,             // malformed or oversized request, HTTP hygiene
  Forbidden,              // a stage answered 403 (route roles, terminal, hospital)
  NotFound,               // no route
  RateLimited,            // the source's request rate
  InspectionBlocked,      // HTTP inspection (IPS mode)
  SlowClient,             // header or body timeout
  VpnNotEnabled,          // CONNECT on a listener without VPN
  SessionRevoked,         // the user of the session was revoked
  UpstreamError,          // 502
  UpstreamTimeout,        // 504
  Error,                  // a request the code did not expect
  kCount
};
std::string_view refusal_name(RefusalReason reason);

// The checks of CertVerdict::check (client_cert_check.h): the label check="...".
inline constexpr std::array<std::string_view, 12> kCertificateChecks{
    "no-certificate",       "untrusted-issuer", "expired",
    "not-yet-valid",        "revoked",          "crl-unavailable",
    "wrong-key-usage",      "no-identity",      "hospital-not-allowed",
    "tls-handshake-failed", "verify-failed",    "other"};
std::size_t certificate_check_index(std::string_view check);  // "other" when unknown

struct Metrics {
  // Illicit-operation alerts by rule (docs/detection.md).
  audit::AlertCounts illicit_operations;
  std::atomic<uint64_t> audit_write_failures{0};  // reports of the audit writer (issue 17)
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

  // Labelled families (issue 17, O-2).
  std::array<std::atomic<uint64_t>, static_cast<std::size_t>(RefusalReason::kCount)> refusals{};
  std::array<std::atomic<uint64_t>, kCertificateChecks.size()> certificate_checks{};
  metrics::Histogram upstream_seconds;          // request sent to response read, per attempt
  metrics::Histogram revocation_close_seconds;  // revocation event to the connection closed
  std::atomic<int64_t> last_reload_unix{0};     // the last policy reload that applied
  std::atomic<int64_t> start_unix{0};

  void refused(RefusalReason reason) {
    refusals[static_cast<std::size_t>(reason)].fetch_add(1, std::memory_order_relaxed);
  }
  void certificate_refused(std::string_view check) {
    certificate_checks[certificate_check_index(check)].fetch_add(1, std::memory_order_relaxed);
  }

  // Once, before any connection: a slot per listener, in the policy's order.
  void set_listeners(const std::vector<std::string>& names);
  // The slot of a listener; a spare slot named "unknown" for a name set_listeners() did not see.
  ListenerMetrics& listener(std::string_view name);
  const std::vector<std::unique_ptr<ListenerMetrics>>& listeners() const { return listeners_; }

  struct Counter {
    const char* name;  // snake_case, without prefix or _total
    const char* help;
    uint64_t value;
  };
  // One list for the Prometheus text and the control bus's Statistics().
  std::vector<Counter> counters() const;

 private:
  std::vector<std::unique_ptr<ListenerMetrics>> listeners_;
  ListenerMetrics unknown_listener_{"unknown"};
};

}  // namespace nanbyo::gw
