// The gateway's policy as plain values (S-1, S-2, S-7). A Policy is built and
// validated once by the loader, then shared read-only by every connection as a
// std::shared_ptr<const Policy>; a reload builds a new one and swaps it
// (CONVENTIONS.md rule 4). Defaults live here, in the member initializers.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pki/audit/illicit_operations.h"
#include "policy/net/cidr.h"
#include "policy/net/ip_address.h"
#include "policy/net/port_range.h"

namespace nanbyo::policy {

using std::chrono::milliseconds;

// An IP address and port. `host` is the canonical text of the address
// ("127.0.0.1", "::1"); IPv6 is written "[::1]:8443" by to_string().
struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  bool ipv6 = false;

  std::string to_string() const;
  bool operator==(const Endpoint&) const = default;
};

// Which hospitals (医療機関番号, 10 digits) may pass: any, or the listed ones.
struct HospitalAllowList {
  bool any = true;                   // written ["*"]
  std::vector<std::string> numbers;  // each exactly 10 digits, when !any

  // False for anything that is not a well-formed 10-digit number, even when any.
  bool allows(std::string_view hospital_number) const;
};

struct Limits {
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  milliseconds header_timeout{10'000};  // slowloris guard
  milliseconds idle_timeout{60'000};
  std::size_t max_connections = 10'000;
};

enum class TlsVersion { Tls12, Tls13 };
enum class ClientCertificateMode { Required, Optional, None };

struct ListenerTls {
  std::filesystem::path certificate;
  std::filesystem::path private_key;
  std::filesystem::path client_ca;  // empty only when client_certificate is None
  std::filesystem::path crl;        // empty: no CRL configured
  TlsVersion min_version = TlsVersion::Tls13;
};

struct Listener {
  std::string name;
  Endpoint listen;
  ListenerTls tls;
  ClientCertificateMode client_certificate = ClientCertificateMode::Required;
  HospitalAllowList allowed_hospitals;
  bool vpn = false;  // also serve the OpenConnect login and tunnel here (needs a vpn section)
  // Countries (ISO 3166-1 alpha-2) whose addresses may connect, by the policy's GeoIP
  // database; empty: Japan alone ("JP") when a database is configured; "*": any.
  std::vector<std::string> allowed_countries;
};

struct UnixSocket {
  std::filesystem::path path;
  bool operator==(const UnixSocket&) const = default;
};
using UpstreamAddress = std::variant<Endpoint, UnixSocket>;

struct Upstream {
  std::string name;
  UpstreamAddress address;
  std::size_t pool_size = 16;
  milliseconds connect_timeout{2'000};
  milliseconds response_timeout{30'000};
};

// HTTP inspection (IDS/IPS, S-3, issue 14): libmodsecurity with Debian's OWASP CRS and the
// project's own rules for Japanese text (docs/inspection.md).
enum class InspectionMode { Blocking, Detection };

struct InspectionExclusion {
  std::string rule;    // a CRS rule id ("942100")
  std::string target;  // the variable it no longer looks at ("ARGS:comment")
};

// What a route may change of the inspection; unset: the section's value.
struct RouteInspection {
  std::optional<InspectionMode> mode;
  std::optional<int> paranoia_level;
  std::vector<InspectionExclusion> exclusions;
  bool off = false;  // `inspection: off` on a route
};

struct Inspection {
  InspectionMode mode = InspectionMode::Blocking;
  int paranoia_level = 1;
  std::filesystem::path crs_setup = "/etc/modsecurity/crs/crs-setup.conf";
  std::filesystem::path crs_rules = "/usr/share/modsecurity-crs/rules";
  std::filesystem::path local_rules;  // the project's rules (NANBYO_INSPECTION_RULES by default)
  bool prefilter = true;              // skip the engine for requests no loaded rule can alert on
};

struct Route {
  std::string listener;                 // a Listener::name (checked at load)
  std::string path_prefix;              // "/" or "/a/b": no trailing "/", matched at "/" boundaries
  std::string upstream;                 // an Upstream::name (checked at load)
  HospitalAllowList allowed_hospitals;  // default: the listener's
  std::vector<std::string> roles;       // checked by appcore
  RouteInspection inspection;
};

struct ControlBus {
  enum class Kind { System, Session, Address };
  Kind kind = Kind::System;
  std::string address;  // a "unix:..." D-Bus address when kind is Address
};

struct Admin {
  Endpoint metrics_listen{"127.0.0.1", 9851, false};  // always a loopback address
  ControlBus control_bus;
};

// HTTP hygiene at the edge (S-3, issue 14). Every X-Nanbyo-* header a client sends is
// removed in any case; these are the further identity headers removed from requests:
// a name, or a prefix ending in "*", matched without regard to letter case.
struct Http {
  std::vector<std::string> identity_headers = {
      // client-certificate families of other proxies (nginx, Apache, HAProxy, Envoy, IIS,
      // RFC 9440)
      "X-Client-*", "X-SSL-*", "SSL-Client-*", "X-Forwarded-Client-Cert", "X-ARR-ClientCert",
      "Client-Cert", "Client-Cert-Chain",
      // remote-user families of authenticating proxies
      "Remote-User", "X-Remote-User", "X-Forwarded-User", "X-Forwarded-Email",
      "X-Forwarded-Preferred-Username", "X-Authenticated-User", "X-Auth-Request-*",
      "X-WebAuth-User", "X-User"};
};

// GeoIP (issue 14): the country database the listeners' allowed_countries are checked
// against (MaxMind DB format, read with libmaxminddb), reloaded with the policy.
struct GeoIp {
  std::filesystem::path database;
};

// Intrusion prevention (IPS, issue 14; docs/inspection.md "Blocking"): a terminal (or,
// without a client certificate, a source address) whose offences within `window` reach a
// threshold is blocked for `block_duration`; 0 turns a threshold or limit off. Absent: no
// automatic blocks and no per-source limits (an operator's blocks still apply).
// Packet-level detection in VPN tunnels (issue 15; docs/inspection.md "Scans and floods in
// the tunnel"): per session, the probes (TCP segments without ACK, UDP datagrams, ICMP
// requests) within `window`; 0 turns a detection off. Far above what a working PC sends.
struct TunnelDetection {
  std::chrono::seconds window{60};
  unsigned ports_per_host = 24;      // distinct destination ports on one host: a port scan
  unsigned hosts = 64;               // distinct destination hosts: a host scan
  unsigned probes_per_second = 200;  // beyond this rate and
  unsigned probe_burst = 1000;       // this burst: a flood
};

struct Ips {
  std::chrono::seconds window{300};
  std::chrono::seconds block_duration{900};
  unsigned anomaly_score = 40;    // summed anomaly scores of inspection alerts
  unsigned blocked_requests = 5;  // requests the inspection refused
  unsigned failed_logins = 20;    // failed logins the application core reported
  unsigned tunnel_alerts = 2;     // scans and floods detected in the terminal's tunnels
  TunnelDetection tunnel;
  unsigned requests_per_second = 0;  // per source address (token bucket)
  unsigned request_burst = 0;        // the bucket; 0: one second's worth
  unsigned connections_per_source = 0;
  std::filesystem::path state_file;  // the blocks, kept across restarts; empty: memory only
};

// The hash-chained audit log (S-7, O-2, issue 17).
struct Audit {
  enum class OnFailure { Continue, Refuse };
  std::filesystem::path path;                // the live file; rotated files beside it
  std::uint64_t rotate_bytes = 64ull << 20;  // 0: never rotate
  unsigned anchor_interval_s = 60;           // last hash to the journal; 0: only on rotation
  // Refuse: no new connection, request or VPN login while records cannot be written.
  OnFailure on_failure = OnFailure::Continue;
  // The illicit-operation rules (docs/detection.md): read from `detection_rules` when the
  // policy names a file, built in otherwise.
  std::filesystem::path detection_rules;
  audit::DetectionRules detection;
};

// The OpenConnect VPN (S-2, S-6). Addresses and networks are parsed once, by the loader;
// the gateway builds its address pool, tunnel settings and packet policy from these values.
struct VpnAllowRule {
  net::Cidr destination;              // a network the tunnel may reach
  std::string protocol = "any";       // any | tcp | udp | icmp
  std::vector<net::PortRange> ports;  // tcp/udp destination ports; any when empty
};

// Full: the PC routes all its IPv4 traffic into the tunnel, which passes only the service
// networks and the DNS servers (S-6: while connected it reaches nothing but the system).
// Split: only the service networks are routed into the tunnel; the PC keeps its other access.
enum class TunnelMode { Full, Split };

struct Vpn {
  TunnelMode mode = TunnelMode::Full;       // hospital PCs: full (S-6)
  net::Cidr address_pool;                   // IPv4, /16 to /30: one address per session
  net::Ipv4Address gateway_address;         // the server end of every tunnel, inside the pool
  unsigned mtu = 1400;                      // the most a session may negotiate
  std::vector<net::Ipv4Address> dns;        // pushed as X-CSTP-DNS; reachable in full mode
  std::string default_domain;               // X-CSTP-Default-Domain when set
  std::vector<net::Cidr> service_networks;  // IPv4; split: the routes pushed (Split-Include);
                                            // full: the only networks the tunnel reaches
  std::chrono::seconds keepalive{20};
  std::chrono::seconds dpd{30};                  // silent for 3 x dpd: the session ends
  std::chrono::seconds idle_timeout{0};          // 0: none
  std::chrono::seconds session_timeout{0};       // 0: none
  std::chrono::seconds cookie_lifetime{43'200};  // a working day: reconnects reuse the cookie
  // The packet allow-list; empty drops everything (in full mode but DNS). In full mode every
  // destination lies inside a service network or is a DNS server.
  std::vector<VpnAllowRule> allow;
};

// IPsec for sites that allow IKEv2 and not a TLS-VPN (S-10, issue 16; docs/vpn.md "IPsec"):
// strongSwan's charon negotiates, the gateway loads this into it over VICI. The PC
// certificate authenticates the site as on the TLS paths; the service networks are the only
// traffic selectors, so the site reaches nothing else.
struct Ipsec {
  std::string name = "ipsec";  // charon's connection and the registry's listener
  std::vector<net::IpAddress>
      local_addresses;                // IKE's addresses (charon's local_addrs); empty: any
  std::filesystem::path certificate;  // the server's certificate (PEM)
  std::filesystem::path private_key;  // its key: handed to charon over VICI, never as a file
  std::filesystem::path client_ca;    // the CA chain PC certificates must chain to
  std::filesystem::path crl;          // the CRL charon checks (revocation = strict)
  HospitalAllowList allowed_hospitals;
  // Defaults: AES-GCM with ECDH P-256 only. Proposals naming a weak algorithm are refused.
  std::vector<std::string> ike_proposals = {"aes256gcm16-prfsha256-ecp256",
                                            "aes128gcm16-prfsha256-ecp256"};
  std::vector<std::string> esp_proposals = {"aes256gcm16-ecp256", "aes128gcm16-ecp256"};
  net::Cidr address_pool;                      // IPv4 virtual IPs, /16 to /30
  std::vector<net::Cidr> service_networks;     // IPv4; the only local traffic selectors
  std::chrono::seconds dpd{30};                // charon's dpd_delay
  std::chrono::seconds ike_lifetime{14'400};   // IKE SA rekey time
  std::chrono::seconds child_lifetime{3'600};  // CHILD SA rekey time
  std::filesystem::path vici_socket = "/run/nanbyo-ipsec/charon.vici";
  // The gateway's OCSP responder that charon asks inside IKE authentication (loopback only;
  // gateway/ipsec/ocsp_responder.h).
  Endpoint ocsp_listen{"127.0.0.1", 8561, false};
};

struct Policy {
  int version = 1;
  std::filesystem::path source;  // the file it was read from (empty for text)
  Audit audit;
  Admin admin;
  Limits limits;
  Http http;
  std::vector<Listener> listeners;
  std::vector<Upstream> upstreams;
  std::vector<Route> routes;
  std::optional<Vpn> vpn;
  std::optional<Ipsec> ipsec;            // absent: charon is not driven
  std::optional<Inspection> inspection;  // absent: no inspection
  std::optional<GeoIp> geoip;            // absent: no country check
  std::optional<Ips> ips;                // absent: no automatic blocks, no source limits

  const Listener* find_listener(std::string_view name) const;
  const Upstream* find_upstream(std::string_view name) const;

  // The route of `listener` with the longest path_prefix matching `path` (the
  // request's normalized path without its query), or nullptr. A prefix matches
  // only whole segments: "/api" matches "/api" and "/api/x", not "/apix".
  const Route* match(std::string_view listener, std::string_view path) const;

  // Whether `hospital_number` may use `route`: both its listener's and its own
  // allow lists must admit it.
  bool allows_hospital(const Route& route, std::string_view hospital_number) const;
};

}  // namespace nanbyo::policy
