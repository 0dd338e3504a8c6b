#include "policy/policy_schema.h"

#include "policy/formats.h"

namespace nanbyo::policy {
namespace {

using namespace schema;

Result<void> check_endpoint(std::string_view text) {
  auto parsed = formats::parse_endpoint(text);
  if (!parsed) return parsed.error();
  return {};
}

Result<void> check_loopback_endpoint(std::string_view text) {
  auto parsed = formats::parse_endpoint(text);
  if (!parsed) return parsed.error();
  if (!formats::is_loopback(*parsed)) {
    return fail("must be a loopback address (127.0.0.1 or [::1]), got " + formats::quote(text));
  }
  return {};
}

Result<void> check_upstream_address(std::string_view text) {
  auto parsed = formats::parse_upstream_address(text);
  if (!parsed) return parsed.error();
  return {};
}

Result<void> check_control_bus(std::string_view text) {
  auto parsed = formats::parse_control_bus(text);
  if (!parsed) return parsed.error();
  return {};
}

TypeRef make_policy_schema() {
  const auto name = string(formats::check_name);
  const auto file = string();
  const auto hospitals = list(string(formats::check_hospital_entry), 1);

  const auto tls = map({
      required("certificate", file),
      required("private_key", file),
      optional("client_ca", file),  // required unless client_certificate is none (cross check)
      optional("crl", file),
      optional("min_version", one_of({"1.2", "1.3"})),
  });
  const auto listener = map({
      required("name", name),
      required("listen", string(check_endpoint)),
      required("tls", tls),
      optional("client_certificate", one_of({"required", "optional", "none"})),
      optional("allowed_hospitals", hospitals),
      optional("vpn", boolean()),
      optional("allowed_countries", list(string(formats::check_country_entry), 1)),
  });
  const auto upstream = map({
      required("name", name),
      required("address", string(check_upstream_address)),
      optional("pool_size", integer(1, 1024)),
      optional("connect_timeout_ms", integer(1, 60'000)),
      optional("response_timeout_ms", integer(1, 3'600'000)),
  });
  const auto exclusion = map({
      required("rule", string(formats::check_rule_id)),
      required("target", string(formats::check_rule_target)),
  });
  const auto route_inspection = map({
      optional("mode", one_of({"blocking", "detection", "off"})),
      optional("paranoia_level", integer(1, 4)),
      optional("exclusions", list(exclusion)),
  });
  const auto inspection = map({
      optional("mode", one_of({"blocking", "detection"})),
      optional("paranoia_level", integer(1, 4)),
      optional("crs_setup", file),
      optional("crs_rules", file),
      optional("local_rules", file),
      optional("prefilter", boolean()),
  });
  const auto route = map({
      required("listener", name),
      required("path_prefix", string(formats::check_path_prefix)),
      required("upstream", name),
      optional("allowed_hospitals", hospitals),
      optional("roles", list(name)),
      optional("inspection", route_inspection),
  });
  const auto admin = map({
      optional("metrics_listen", string(check_loopback_endpoint)),
      optional("control_bus", string(check_control_bus)),
  });
  const auto limits = map({
      optional("max_header_bytes", integer(1024, 1 << 20)),
      optional("max_body_bytes", integer(0, 1 << 30)),
      optional("header_timeout_ms", integer(100, 600'000)),
      optional("idle_timeout_ms", integer(1'000, 86'400'000)),
      optional("max_connections", integer(1, 1'000'000)),
  });
  const auto http = map({
      optional("identity_headers", list(string(formats::check_header_pattern))),
  });
  const auto allow_rule = map({
      required("destination", string()),
      optional("protocol", one_of({"any", "tcp", "udp", "icmp"})),
      optional("ports", list(string(), 1)),
  });
  const auto vpn = map({
      optional("mode", one_of({"full", "split"})),
      required("address_pool", string()),
      required("gateway_address", string()),
      optional("mtu", integer(576, 9000)),
      optional("dns", list(string())),
      optional("default_domain", string()),
      required("service_networks", list(string(), 1)),
      retired("split_include",
              "renamed service_networks (issue 15), and the tunnel is now full by default "
              "(mode: full: the PC routes everything into the tunnel, which passes only the "
              "service networks and DNS); write service_networks: [...] and, to keep the "
              "split tunnel, mode: split"),
      optional("keepalive_s", integer(5, 3600)),
      optional("dpd_s", integer(5, 3600)),
      optional("idle_timeout_s", integer(0, 86'400)),
      optional("session_timeout_s", integer(0, 7 * 86'400)),
      optional("cookie_lifetime_s", integer(60, 7 * 86'400)),
      optional("allow", list(allow_rule)),
  });
  const auto proposals = list(string(formats::check_ipsec_proposal), 1);
  const auto ipsec = map({
      optional("name", name),
      optional("local_addresses", list(string(), 1)),
      required("certificate", file),
      required("private_key", file),
      required("client_ca", file),
      required("crl", file),
      optional("allowed_hospitals", hospitals),
      optional("ike_proposals", proposals),
      optional("esp_proposals", proposals),
      required("address_pool", string()),
      required("service_networks", list(string(), 1)),
      optional("dpd_s", integer(5, 3600)),
      optional("ike_lifetime_s", integer(600, 86'400)),
      optional("child_lifetime_s", integer(300, 86'400)),
      optional("vici_socket", file),
      optional("ocsp_listen", string(check_loopback_endpoint)),
  });
  const auto ips_tunnel = map({
      optional("window_s", integer(1, 3600)),
      optional("ports_per_host", integer(0, 256)),  // the detector's tables hold 256 ports
      optional("hosts", integer(0, 128)),           // and 128 hosts
      optional("probes_per_second", integer(0, 1'000'000)),
      optional("probe_burst", integer(0, 1'000'000)),
  });
  const auto ips = map({
      optional("window_s", integer(10, 86'400)),
      optional("block_s", integer(10, 30 * 86'400)),
      optional("anomaly_score", integer(0, 100'000)),
      optional("blocked_requests", integer(0, 100'000)),
      optional("failed_logins", integer(0, 100'000)),
      optional("tunnel_alerts", integer(0, 100'000)),
      optional("requests_per_second", integer(0, 1'000'000)),
      optional("request_burst", integer(0, 1'000'000)),
      optional("connections_per_source", integer(0, 1'000'000)),
      optional("state_file", file),
      optional("tunnel", ips_tunnel),
  });
  return map({
      required("version", integer(1, 1)),
      required("audit",
               map({required("path", file), optional("rotate_bytes", integer(0, 1ll << 40)),
                    optional("anchor_interval_s", integer(0, 86'400)),
                    optional("on_failure", one_of({"continue", "refuse"})),
                    optional("detection_rules", file)})),
      optional("admin", admin),
      optional("limits", limits),
      optional("http", http),
      required("listeners", list(listener, 1)),
      required("upstreams", list(upstream)),
      required("routes", list(route)),
      optional("vpn", vpn),
      optional("ipsec", ipsec),
      optional("inspection", inspection),
      optional("geoip", map({required("database", file)})),
      optional("ips", ips),
  });
}

}  // namespace

const schema::Type& policy_schema() {
  static const TypeRef schema = make_policy_schema();
  return *schema;
}

}  // namespace nanbyo::policy
