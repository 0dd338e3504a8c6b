#include "gateway/metrics.h"

namespace nanbyo::gw {

std::vector<Metrics::Counter> Metrics::counters() const {
  return {
      {"connections_accepted", "TCP connections accepted.", connections_accepted},
      {"handshakes_failed", "TLS handshakes that failed.", handshakes_failed},
      {"certificates_rejected", "Client certificates refused after the handshake.",
       certificates_rejected},
      {"requests", "HTTP requests read.", requests},
      {"requests_refused", "Requests the gateway refused.", requests_refused},
      {"upstream_errors", "Upstream failures (502).", upstream_errors},
      {"upstream_timeouts", "Upstream timeouts (504).", upstream_timeouts},
      {"revocation_closes", "Connections ended by revocation.", revocation_closes},
      {"slow_clients_closed", "Connections closed on timeouts.", slow_clients_closed},
      {"bytes_in", "Request bytes from clients.", bytes_in},
      {"bytes_out", "Response bytes to clients.", bytes_out},
      {"policy_reloads", "Policy reloads applied.", policy_reloads},
      {"policy_reloads_failed", "Policy reloads refused.", policy_reloads_failed},
      {"vpn_logins", "VPN logins that got a session cookie.", vpn_logins},
      {"vpn_logins_refused", "VPN logins refused.", vpn_logins_refused},
      {"vpn_tunnels_opened", "VPN tunnels established.", vpn_tunnels_opened},
      {"vpn_tunnels_refused", "VPN tunnel requests refused.", vpn_tunnels_refused},
      {"vpn_packets_in", "Packets from VPN clients that the packet policy passed.", vpn_packets_in},
      {"vpn_packets_out", "Packets sent to VPN clients.", vpn_packets_out},
      {"vpn_packets_dropped", "Packets from VPN clients dropped by the packet policy.",
       vpn_packets_dropped},
      {"vpn_packets_outside_service",
       "Of the dropped packets, those to an address outside the service networks (full tunnel).",
       vpn_packets_outside_service},
      {"vpn_frames_rejected", "Malformed CSTP frames that ended a tunnel.", vpn_frames_rejected},
      {"vpn_alerts_port_scan", "Port scans detected in VPN tunnels.", vpn_alerts_port_scan},
      {"vpn_alerts_host_scan", "Host scans detected in VPN tunnels.", vpn_alerts_host_scan},
      {"vpn_alerts_flood", "Floods detected in VPN tunnels.", vpn_alerts_flood},
      {"geoip_refused", "Connections refused for their country (GeoIP).", geoip_refused},
      {"inspection_requests", "Requests inspected (IDS/IPS).", inspection_requests},
      {"inspection_prefiltered",
       "Inspected requests the prefilter showed no rule could alert on (engine skipped).",
       inspection_prefiltered},
      {"inspection_alerted", "Inspected requests with at least one alert.", inspection_alerted},
      {"inspection_blocked", "Requests blocked by inspection.", inspection_blocked},
      {"inspection_alerts_sqli", "Inspection alerts: SQL injection.", inspection_alerts_sqli},
      {"inspection_alerts_xss", "Inspection alerts: cross-site scripting.", inspection_alerts_xss},
      {"inspection_alerts_lfi", "Inspection alerts: file inclusion and traversal.",
       inspection_alerts_lfi},
      {"inspection_alerts_rce", "Inspection alerts: command injection.", inspection_alerts_rce},
      {"inspection_alerts_protocol", "Inspection alerts: protocol violations and attacks.",
       inspection_alerts_protocol},
      {"inspection_alerts_other", "Inspection alerts: other families.", inspection_alerts_other},
      {"ips_blocks", "Terminals and sources blocked (thresholds and operators).", ips_blocks},
      {"ips_refused", "Connections refused because their terminal or source is blocked.",
       ips_refused},
      {"ips_rate_limited", "Requests refused over their source's request rate.", ips_rate_limited},
      {"ips_source_connections_refused", "Connections refused over their source's limit.",
       ips_source_connections_refused},
  };
}

void Metrics::count_alert(const std::string& family) {
  if (family == "sqli") {
    inspection_alerts_sqli++;
  } else if (family == "xss") {
    inspection_alerts_xss++;
  } else if (family == "lfi" || family == "rfi") {
    inspection_alerts_lfi++;
  } else if (family == "rce" || family == "php" || family == "java") {
    inspection_alerts_rce++;
  } else if (family == "protocol" || family == "scanner") {
    inspection_alerts_protocol++;
  } else {
    inspection_alerts_other++;
  }
}

void Metrics::set_listeners(const std::vector<std::string>& names) {
  listeners_.clear();
  for (const auto& name : names) listeners_.push_back(std::make_unique<ListenerMetrics>(name));
}

ListenerMetrics& Metrics::listener(std::string_view name) {
  for (auto& l : listeners_) {
    if (l->name == name) return *l;
  }
  return unknown_listener_;
}

std::string_view refusal_name(RefusalReason reason) {
  static constexpr std::array<std::string_view, static_cast<std::size_t>(RefusalReason::kCount)>
      kNames{"connection-limit",
             "source-blocked",
             "source-connection-limit",
             "country",
             "handshake",
             "certificate",
             "bad-request",
             "forbidden",
             "not-found",
             "rate-limited",
             "inspection-blocked",
             "slow-client",
             "vpn-not-enabled",
             "session-revoked",
             "upstream-error",
             "upstream-timeout",
             "error"};
  return kNames[static_cast<std::size_t>(reason)];
}

std::size_t certificate_check_index(std::string_view check) {
  for (std::size_t i = 0; i + 1 < kCertificateChecks.size(); ++i) {
    if (kCertificateChecks[i] == check) return i;
  }
  return kCertificateChecks.size() - 1;
}

}  // namespace nanbyo::gw
