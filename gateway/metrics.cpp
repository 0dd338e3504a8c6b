#include "gateway/metrics.h"

namespace nanbyo::gw {
namespace {

void counter(std::string& out, const char* name, const char* help, uint64_t value) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name +
         " " + std::to_string(value) + "\n";
}

}  // namespace

std::string Metrics::render(std::size_t open_connections) const {
  std::string out;
  out +=
      "# HELP nanbyo_gateway_open_connections Client connections open now.\n"
      "# TYPE nanbyo_gateway_open_connections gauge\nnanbyo_gateway_open_connections " +
      std::to_string(open_connections) + "\n";
  counter(out, "nanbyo_gateway_connections_accepted_total", "TCP connections accepted.",
          connections_accepted);
  counter(out, "nanbyo_gateway_handshakes_failed_total", "TLS handshakes that failed.",
          handshakes_failed);
  counter(out, "nanbyo_gateway_certificates_rejected_total",
          "Client certificates refused after the handshake.", certificates_rejected);
  counter(out, "nanbyo_gateway_requests_total", "HTTP requests read.", requests);
  counter(out, "nanbyo_gateway_requests_refused_total", "Requests the gateway refused.",
          requests_refused);
  counter(out, "nanbyo_gateway_upstream_errors_total", "Upstream failures (502).", upstream_errors);
  counter(out, "nanbyo_gateway_upstream_timeouts_total", "Upstream timeouts (504).",
          upstream_timeouts);
  counter(out, "nanbyo_gateway_revocation_closes_total", "Connections ended by revocation.",
          revocation_closes);
  counter(out, "nanbyo_gateway_slow_clients_closed_total", "Connections closed on timeouts.",
          slow_clients_closed);
  counter(out, "nanbyo_gateway_bytes_in_total", "Request bytes from clients.", bytes_in);
  counter(out, "nanbyo_gateway_bytes_out_total", "Response bytes to clients.", bytes_out);
  counter(out, "nanbyo_gateway_policy_reloads_total", "Policy reloads applied.", policy_reloads);
  counter(out, "nanbyo_gateway_policy_reloads_failed_total", "Policy reloads refused.",
          policy_reloads_failed);
  return out;
}

}  // namespace nanbyo::gw
