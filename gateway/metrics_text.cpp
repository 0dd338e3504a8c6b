#include "gateway/metrics_text.h"

#include <map>
#include <utility>

#include "gateway/certificate_dates.h"
#include "gateway/vpn_state.h"
#include "metrics/exposition.h"
#include "pki/audit/audit_sink.h"
#include "service/version.h"

namespace nanbyo::gw {
namespace {

using metrics::Type;

constexpr const char* kPrefix = "nanbyo_gateway_";

std::string named(std::string_view name) {
  return kPrefix + std::string(name);
}

void render_counters(metrics::TextWriter& out, const Metrics& m) {
  for (const auto& c : m.counters()) out.counter(named(c.name) + "_total", c.help, c.value);

  const auto& listeners = m.listeners();
  out.family(named("listener_connections_total"), Type::Counter,
             "TCP connections accepted, by listener.");
  for (const auto& l : listeners)
    out.sample(named("listener_connections_total"), {{"listener", l->name}}, l->connections.load());
  out.family(named("listener_requests_total"), Type::Counter, "HTTP requests read, by listener.");
  for (const auto& l : listeners)
    out.sample(named("listener_requests_total"), {{"listener", l->name}}, l->requests.load());

  out.family(named("refusals_total"), Type::Counter,
             "Connections and requests the gateway refused, by reason.");
  for (std::size_t i = 0; i < m.refusals.size(); ++i) {
    out.sample(named("refusals_total"), {{"reason", refusal_name(static_cast<RefusalReason>(i))}},
               m.refusals[i].load());
  }
  out.family(named("certificate_refusals_total"), Type::Counter,
             "Client certificates and handshakes refused, by the check that failed.");
  for (std::size_t i = 0; i < m.certificate_checks.size(); ++i) {
    out.sample(named("certificate_refusals_total"), {{"check", kCertificateChecks[i]}},
               m.certificate_checks[i].load());
  }
}

void render_histograms(metrics::TextWriter& out, const Metrics& m) {
  out.family(named("request_duration_seconds"), Type::Histogram,
             "Time from a request read to its answer written, by listener.");
  for (const auto& l : m.listeners()) {
    out.histogram(named("request_duration_seconds"), {{"listener", l->name}},
                  l->request_seconds.snapshot());
  }
  out.family(named("tls_handshake_duration_seconds"), Type::Histogram,
             "Time of the TLS handshakes that succeeded, by listener.");
  for (const auto& l : m.listeners()) {
    out.histogram(named("tls_handshake_duration_seconds"), {{"listener", l->name}},
                  l->handshake_seconds.snapshot());
  }
  out.family(named("upstream_response_duration_seconds"), Type::Histogram,
             "Time from a request forwarded to the upstream's whole response, failures included.");
  out.histogram(named("upstream_response_duration_seconds"), {}, m.upstream_seconds.snapshot());
  out.family(named("revocation_close_duration_seconds"), Type::Histogram,
             "Time from a revocation (or an operator's disconnect) to the connection closed.");
  out.histogram(named("revocation_close_duration_seconds"), {},
                m.revocation_close_seconds.snapshot());
}

void render_connections(metrics::TextWriter& out, const Services& services,
                        const policy::Policy& policy) {
  out.gauge(named("open_connections"), "Client connections and IPsec SAs open now, all kinds.",
            static_cast<double>(services.registry.size()));
  std::map<std::pair<std::string, std::string>, uint64_t> open;  // (listener, kind) -> count
  for (const auto& l : policy.listeners) {
    open[{l.name, "https"}] = 0;
    if (l.vpn) open[{l.name, "vpn"}] = 0;
  }
  for (const auto& c : services.registry.list()) ++open[{c.listener, c.kind}];
  out.family(named("connections"), Type::Gauge,
             "Connections open now by listener and kind: https, vpn (TLS tunnels), ipsec (SAs).");
  for (const auto& [key, count] : open) {
    out.sample(named("connections"), {{"listener", key.first}, {"kind", key.second}}, count);
  }
  if (services.vpn && services.vpn->pool) {
    const auto& pool = *services.vpn->pool;
    out.gauge(named("vpn_pool_free_addresses"), "VPN pool addresses free for a new tunnel.",
              static_cast<double>(pool.capacity() - pool.leased()));
    out.gauge(named("vpn_pool_addresses"), "VPN pool addresses in all.",
              static_cast<double>(pool.capacity()));
  }
}

void render_dates(metrics::TextWriter& out, const Services& services, const Runtime& runtime) {
  out.family(named("certificate_expiry_timestamp_seconds"), Type::Gauge,
             "When a listener's server certificate (role server) or trusted CA (role ca) expires, "
             "Unix time.");
  for (const auto& c : certificate_dates(runtime)) {
    out.sample(named("certificate_expiry_timestamp_seconds"),
               {{"role", c.role}, {"listener", c.listener}, {"subject", c.subject}},
               static_cast<double>(c.not_after_unix));
  }
  out.family(named("crl_next_update_timestamp_seconds"), Type::Gauge,
             "When a CRL of a CRL file must be replaced (its nextUpdate), Unix time.");
  for (const auto& c : crl_dates(crl_files(*runtime.policy))) {
    out.sample(named("crl_next_update_timestamp_seconds"), {{"file", c.file}, {"issuer", c.issuer}},
               static_cast<double>(c.next_update_unix));
  }
  const auto& m = services.metrics;
  out.family(named("illicit_operations_total"), Type::Counter,
             "Illicit-operation alerts raised over the gateway's audit stream, by rule.");
  for (std::size_t i = 0; i < audit::kIllicitOperationRules.size(); ++i) {
    out.sample(named("illicit_operations_total"),
               {{"rule", std::string(audit::kIllicitOperationRules[i])}},
               m.illicit_operations.at(i));
  }
  // An audit log that cannot be written is an alert of its own (NanbyoAuditNotWritable).
  out.gauge(named("audit_writable"),
            "1 while the audit log takes records, 0 after a failed write until one succeeds.",
            services.audit == nullptr || services.audit->writable() ? 1.0 : 0.0);
  out.counter(named("audit_write_failures_total"),
              "Failed writes (and records lost) the audit writer reported.",
              m.audit_write_failures.load());
  out.family(named("build_info"), Type::Gauge, "The gateway's version; always 1.");
  out.sample(named("build_info"), {{"version", service::version()}}, uint64_t{1});
  out.gauge(named("start_time_seconds"), "When the gateway started, Unix time.",
            static_cast<double>(m.start_unix.load()));
  const int64_t reloaded = m.last_reload_unix.load();
  out.gauge(named("last_reload_success_timestamp_seconds"),
            "When the policy was last loaded successfully (start or reload), Unix time.",
            static_cast<double>(reloaded ? reloaded : m.start_unix.load()));
}

}  // namespace

std::string render_metrics(const Services& services) {
  metrics::TextWriter out;
  const auto runtime = services.runtime.current();
  render_counters(out, services.metrics);
  render_histograms(out, services.metrics);
  render_connections(out, services, *runtime->policy);
  render_dates(out, services, *runtime);
  return out.take();
}

}  // namespace nanbyo::gw
