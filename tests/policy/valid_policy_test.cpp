// A valid policy loads into the values it states, with the documented defaults
// for what it leaves out, and file paths resolved against its own directory.
#include <catch2/catch.hpp>

#include <filesystem>

#include "policy/loader.h"

using namespace nanbyo::policy;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const fs::path kValidDir = fs::path(NANBYO_POLICY_TEST_DIR) / "valid";

std::shared_ptr<const Policy> load(const char* name) {
  auto loaded = load_policy_file(kValidDir / name);
  INFO((loaded.ok() ? "" : loaded.error().message));
  REQUIRE(loaded.ok());
  return *loaded;
}

}  // namespace

TEST_CASE("the full example policy loads with every value it states", "[valid]") {
  auto p = load("full.yaml");
  CHECK(p->version == 1);
  CHECK(p->source == kValidDir / "full.yaml");
  CHECK(p->audit.path == kValidDir / "var/audit/gateway.log");
  CHECK(p->audit.rotate_bytes == 32u << 20);
  CHECK(p->audit.anchor_interval_s == 30);
  CHECK(p->audit.on_failure == Audit::OnFailure::Refuse);
  CHECK(p->admin.metrics_listen.to_string() == "127.0.0.1:9851");
  CHECK(p->admin.control_bus.kind == ControlBus::Kind::System);
  CHECK(p->limits.max_header_bytes == 8192);
  CHECK(p->limits.max_body_bytes == 1048576);
  CHECK(p->limits.header_timeout == 10s);
  CHECK(p->limits.idle_timeout == 60s);
  CHECK(p->limits.max_connections == 10000);
  CHECK(p->http.identity_headers == std::vector<std::string>{"X-Client-*", "Remote-User"});

  REQUIRE(p->listeners.size() == 2);
  const Listener& hospital = p->listeners[0];
  CHECK(hospital.name == "hospital");
  CHECK(hospital.listen == Endpoint{"127.0.0.1", 8443, false});
  CHECK(hospital.tls.certificate == kValidDir / "var/pki/dev/server.crt");
  CHECK(hospital.tls.private_key == kValidDir / "var/pki/dev/server.key");
  CHECK(hospital.tls.client_ca == kValidDir / "var/pki/ca-chain.crt");
  CHECK(hospital.tls.crl == kValidDir / "var/pki/crl.pem");
  CHECK(hospital.tls.min_version == TlsVersion::Tls13);
  CHECK(hospital.client_certificate == ClientCertificateMode::Required);
  CHECK(hospital.allowed_hospitals.any);
  CHECK(hospital.vpn);

  const Listener& municipality = p->listeners[1];
  CHECK(municipality.listen.to_string() == "[::1]:9443");
  CHECK(municipality.listen.ipv6);
  CHECK(municipality.tls.certificate == "/etc/nanbyo/municipality.crt");  // absolute stays
  CHECK(municipality.tls.crl == "/etc/nanbyo/municipality-crl.pem");
  CHECK(municipality.tls.min_version == TlsVersion::Tls12);
  CHECK(municipality.client_certificate == ClientCertificateMode::Optional);
  CHECK_FALSE(municipality.allowed_hospitals.any);
  CHECK(municipality.allowed_hospitals.numbers ==
        std::vector<std::string>{"1310000001", "2710000002"});
  CHECK_FALSE(municipality.vpn);

  REQUIRE(p->upstreams.size() == 2);
  const Upstream& appcore = p->upstreams[0];
  CHECK(std::get<UnixSocket>(appcore.address).path == kValidDir / "var/run/appcore.sock");
  CHECK(appcore.pool_size == 32);
  CHECK(appcore.connect_timeout == 2s);
  CHECK(appcore.response_timeout == 30s);
  const Upstream& reports = p->upstreams[1];
  CHECK(std::get<Endpoint>(reports.address) == Endpoint{"::1", 9000, true});
  CHECK(reports.pool_size == 16);

  REQUIRE(p->routes.size() == 4);
  CHECK(p->routes[0].upstream == "appcore");
  CHECK(p->routes[0].roles.empty());
  CHECK(p->routes[1].roles == std::vector<std::string>{"doctor", "clerk"});
  CHECK(p->routes[1].allowed_hospitals.numbers == std::vector<std::string>{"1310000001"});
  REQUIRE(p->geoip);
  CHECK(p->geoip->database == "/var/lib/GeoIP/GeoLite2-Country.mmdb");
  CHECK(p->listeners[0].allowed_countries == std::vector<std::string>{"JP"});
  CHECK(p->listeners[1].allowed_countries.empty());
  REQUIRE(p->inspection);
  CHECK(p->inspection->mode == InspectionMode::Blocking);
  CHECK(p->inspection->paranoia_level == 1);
  CHECK(p->inspection->crs_rules == "/usr/share/modsecurity-crs/rules");
  CHECK(p->routes[0].inspection.mode == std::nullopt);
  CHECK(p->routes[1].inspection.mode == InspectionMode::Detection);
  CHECK(p->routes[1].inspection.paranoia_level == 2);
  REQUIRE(p->routes[1].inspection.exclusions.size() == 1);
  CHECK(p->routes[1].inspection.exclusions[0].target == "ARGS:query");
  CHECK(p->find_upstream("reports") == &reports);
  CHECK(p->find_listener("nobody") == nullptr);

  REQUIRE(p->vpn);
  const Vpn& vpn = *p->vpn;
  CHECK(vpn.address_pool.to_string() == "10.255.0.0/24");
  CHECK(vpn.gateway_address.to_string() == "10.255.0.1");
  CHECK(vpn.mtu == 1400);
  REQUIRE(vpn.dns.size() == 1);
  CHECK(vpn.dns[0].to_string() == "10.10.0.53");
  CHECK(vpn.default_domain == "nanbyo.example");
  CHECK(vpn.mode == TunnelMode::Full);
  REQUIRE(vpn.service_networks.size() == 1);
  CHECK(vpn.service_networks[0].to_string() == "10.10.0.0/24");
  CHECK(vpn.dpd == 30s);
  CHECK(vpn.idle_timeout == 1800s);
  CHECK(vpn.session_timeout == 0s);
  REQUIRE(vpn.allow.size() == 3);
  CHECK(vpn.allow[0].destination.to_string() == "10.10.0.10/32");
  CHECK(vpn.allow[0].protocol == "tcp");
  REQUIRE(vpn.allow[0].ports.size() == 2);
  CHECK(vpn.allow[0].ports[1].first == 8000);
  CHECK(vpn.allow[0].ports[1].last == 8100);
  CHECK(vpn.allow[2].protocol == "icmp");
  CHECK(vpn.allow[2].ports.empty());

  REQUIRE(p->ipsec);
  const Ipsec& ipsec = *p->ipsec;
  CHECK(ipsec.name == "ipsec");
  REQUIRE(ipsec.local_addresses.size() == 1);
  CHECK(ipsec.local_addresses[0].to_string() == "127.0.0.1");
  CHECK(ipsec.private_key.filename() == "server.key");
  CHECK(ipsec.crl.is_absolute());
  CHECK(ipsec.allowed_hospitals.allows("1310000001"));
  CHECK_FALSE(ipsec.allowed_hospitals.allows("1310000002"));
  CHECK(ipsec.ike_proposals == std::vector<std::string>{"aes256gcm16-prfsha256-ecp256"});
  CHECK(ipsec.esp_proposals.size() == 2);
  CHECK(ipsec.address_pool.to_string() == "10.254.0.0/24");
  REQUIRE(ipsec.service_networks.size() == 1);
  CHECK(ipsec.service_networks[0].to_string() == "10.10.0.0/24");
  CHECK(ipsec.dpd == 30s);
  CHECK(ipsec.child_lifetime == 3600s);
  CHECK(ipsec.vici_socket == "/run/nanbyo-ipsec/charon.vici");
}

TEST_CASE("S-10 an ipsec section without proposals takes AES-GCM with ECDH P-256", "[valid]") {
  const Ipsec defaults;
  CHECK(defaults.ike_proposals ==
        std::vector<std::string>{"aes256gcm16-prfsha256-ecp256", "aes128gcm16-prfsha256-ecp256"});
  CHECK(defaults.esp_proposals ==
        std::vector<std::string>{"aes256gcm16-ecp256", "aes128gcm16-ecp256"});
  CHECK(defaults.allowed_hospitals.any);
  CHECK(load("minimal.yaml")->ipsec == std::nullopt);
  const Audit audit = load("minimal.yaml")->audit;
  CHECK(audit.rotate_bytes == 64u << 20);
  CHECK(audit.anchor_interval_s == 60);
  CHECK(audit.on_failure == Audit::OnFailure::Continue);
}

TEST_CASE("what a policy leaves out takes the safe defaults", "[valid]") {
  auto p = load("minimal.yaml");
  const Limits defaults;
  CHECK(p->limits.max_header_bytes == 8 * 1024);
  CHECK(p->limits.max_body_bytes == 1024 * 1024);
  CHECK(p->limits.header_timeout == defaults.header_timeout);
  CHECK(p->limits.idle_timeout == defaults.idle_timeout);
  CHECK(p->limits.max_connections == defaults.max_connections);
  CHECK(p->admin.metrics_listen.to_string() == "127.0.0.1:9851");
  CHECK(p->admin.control_bus.kind == ControlBus::Kind::System);

  const Listener& l = p->listeners.at(0);
  CHECK(l.listen.to_string() == "0.0.0.0:443");
  CHECK(l.tls.min_version == TlsVersion::Tls13);
  CHECK(l.tls.crl == kValidDir / "crl.pem");
  CHECK(p->http.identity_headers == Http{}.identity_headers);
  CHECK_FALSE(p->inspection);  // no section, no inspection
  CHECK(l.client_certificate == ClientCertificateMode::Required);
  CHECK(l.allowed_hospitals.any);
  CHECK_FALSE(l.vpn);
  CHECK_FALSE(p->vpn);

  const Upstream& u = p->upstreams.at(0);
  CHECK(std::get<Endpoint>(u.address).to_string() == "127.0.0.1:9000");
  CHECK(u.pool_size == 16);
  CHECK(u.connect_timeout == 2s);
  CHECK(u.response_timeout == 30s);
}

TEST_CASE("policy text keeps relative paths relative without a base directory", "[valid]") {
  const char* text = R"(version: 1
audit: {path: audit.log}
admin: {metrics_listen: "[::1]:9851", control_bus: "unix:path=/run/nanbyo/bus"}
listeners:
  - {name: open, listen: "[::]:8080", client_certificate: none,
     tls: {certificate: s.crt, private_key: s.key}}
upstreams: []
routes: []
)";
  auto loaded = load_policy_text(text, "inline.yaml");
  INFO((loaded.ok() ? "" : loaded.error().message));
  REQUIRE(loaded.ok());
  const Policy& p = **loaded;
  CHECK(p.source.empty());
  CHECK(p.audit.path == "audit.log");
  CHECK(p.admin.metrics_listen.to_string() == "[::1]:9851");
  CHECK(p.admin.control_bus.kind == ControlBus::Kind::Address);
  CHECK(p.admin.control_bus.address == "unix:path=/run/nanbyo/bus");
  CHECK(p.listeners.at(0).client_certificate == ClientCertificateMode::None);
  CHECK(p.listeners.at(0).tls.client_ca.empty());

  auto based = load_policy_text(text, "inline.yaml", "/etc/nanbyo");
  REQUIRE(based.ok());
  CHECK((*based)->audit.path == "/etc/nanbyo/audit.log");
}

// Issue 15 (S-6): without `mode` the tunnel is full; split is asked for by name, and then an
// allow rule may reach past the service networks as it always could.
TEST_CASE("the VPN tunnel is full unless the policy says split", "[valid][vpn]") {
  const std::string head =
      "version: 1\naudit: {path: audit.log}\n"
      "listeners: [{name: h, listen: 127.0.0.1:8443, vpn: true,\n"
      "  tls: {certificate: s.crt, private_key: s.key, client_ca: ca.crt, crl: crl.pem}}]\n"
      "upstreams: []\nroutes: []\n"
      "vpn:\n  address_pool: 10.255.0.0/24\n  gateway_address: 10.255.0.1\n"
      "  service_networks: [10.10.0.0/24]\n";
  auto full = load_policy_text(head, "full");
  INFO((full.ok() ? "" : full.error().message));
  REQUIRE(full.ok());
  CHECK((*full)->vpn->mode == TunnelMode::Full);

  auto split = load_policy_text(
      head + "  mode: split\n  allow: [{destination: 192.0.2.0/24, protocol: icmp}]\n", "split");
  INFO((split.ok() ? "" : split.error().message));
  REQUIRE(split.ok());
  CHECK((*split)->vpn->mode == TunnelMode::Split);
  CHECK((*split)->vpn->allow.at(0).destination.to_string() == "192.0.2.0/24");
}
