#include "policy/builder.h"

#include <sys/un.h>

#include "policy/detection_rules.h"
#include "policy/formats.h"
#include "policy/ipsec_builder.h"
#include "policy/schema.h"
#include "policy/vpn_builder.h"
#include "service/credentials.h"

namespace nanbyo::policy {
namespace {

namespace fs = std::filesystem;
using schema::child_path;
using schema::item_path;
using schema::located;

// The schema has already checked every scalar, so the parsers here cannot fail.
class Builder {
 public:
  Builder(std::string_view file, const fs::path& base_dir) : file_(file), base_dir_(base_dir) {}

  Result<Policy> policy(const YAML::Node& root) {
    Policy p;
    p.version = static_cast<int>(integer(root["version"]));
    read_audit(root["audit"], p.audit);
    if (const YAML::Node n = root["audit"]["detection_rules"]) {
      auto rules = load_detection_rules(p.audit.detection_rules, n.Scalar());
      if (!rules) {
        return located(file_, n.Mark(), "audit.detection_rules", rules.error().message);
      }
      p.audit.detection = std::move(*rules);
    }
    if (const YAML::Node admin = root["admin"]) {
      if (const YAML::Node n = admin["metrics_listen"]) p.admin.metrics_listen = endpoint(n);
      if (const YAML::Node n = admin["control_bus"]) {
        p.admin.control_bus = formats::parse_control_bus(n.Scalar()).value();
      }
    }
    if (const YAML::Node limits = root["limits"]) read_limits(limits, p.limits);
    if (const YAML::Node http = root["http"]) {
      if (const YAML::Node names = http["identity_headers"]) {
        p.http.identity_headers.clear();
        for (const auto& n : names) p.http.identity_headers.push_back(n.Scalar());
      }
    }
    const YAML::Node listeners = root["listeners"];
    for (std::size_t i = 0; i < listeners.size(); ++i) {
      NANBYO_TRY(listener, read_listener(listeners[i], item_path("listeners", i)));
      p.listeners.push_back(std::move(listener));
    }
    const YAML::Node upstreams = root["upstreams"];
    for (std::size_t i = 0; i < upstreams.size(); ++i) {
      NANBYO_TRY(upstream, read_upstream(upstreams[i], item_path("upstreams", i)));
      p.upstreams.push_back(std::move(upstream));
    }
    const YAML::Node routes = root["routes"];
    for (std::size_t i = 0; i < routes.size(); ++i) {
      NANBYO_TRY(route, read_route(routes[i], item_path("routes", i), p));
      p.routes.push_back(std::move(route));
    }
    if (const YAML::Node vpn = root["vpn"]) {
      NANBYO_TRY(section, build_vpn(vpn, file_));
      p.vpn = std::move(section);
    }
    if (const YAML::Node n = root["ipsec"]) {
      auto resolved = [this](const YAML::Node& v) { return path(v); };
      auto key = [this](const YAML::Node& v) { return key_path(v); };
      auto hospitals = [this](const YAML::Node& v) {
        return allow_list(v, "ipsec.allowed_hospitals");
      };
      NANBYO_TRY(section, build_ipsec(n, file_, resolved, key, hospitals));
      p.ipsec = std::move(section);
    }
    if (const YAML::Node n = root["inspection"]) p.inspection = read_inspection(n);
    if (const YAML::Node n = root["geoip"]) p.geoip = GeoIp{path(n["database"])};
    if (const YAML::Node n = root["ips"]) p.ips = read_ips(n);
    return p;
  }

 private:
  static std::int64_t integer(const YAML::Node& n) {
    return formats::parse_integer(n.Scalar()).value();
  }
  static Endpoint endpoint(const YAML::Node& n) {
    return formats::parse_endpoint(n.Scalar()).value();
  }

  // Relative paths are relative to the policy file's directory, not the
  // process's working directory.
  fs::path resolve(const fs::path& p) const {
    if (p.is_absolute() || base_dir_.empty()) return p;
    return (base_dir_ / p).lexically_normal();
  }
  fs::path path(const YAML::Node& n) const { return resolve(n.Scalar()); }
  // A key may be a systemd credential ("credential:NAME"), resolved when the
  // gateway loads it (service/credentials.h), so it stays as written.
  fs::path key_path(const YAML::Node& n) const {
    if (n.Scalar().starts_with(service::kCredentialScheme)) return n.Scalar();
    return path(n);
  }

  void read_audit(const YAML::Node& n, Audit& audit) const {
    audit.path = path(n["path"]);
    if (const YAML::Node v = n["rotate_bytes"])
      audit.rotate_bytes = static_cast<std::uint64_t>(integer(v));
    if (const YAML::Node v = n["anchor_interval_s"]) {
      audit.anchor_interval_s = static_cast<unsigned>(integer(v));
    }
    if (const YAML::Node v = n["detection_rules"]) audit.detection_rules = path(v);
    if (const YAML::Node v = n["on_failure"]) {
      audit.on_failure =
          v.Scalar() == "refuse" ? Audit::OnFailure::Refuse : Audit::OnFailure::Continue;
    }
  }

  static void read_limits(const YAML::Node& n, Limits& limits) {
    auto set_size = [&](const char* key, std::size_t& out) {
      if (const YAML::Node v = n[key]) out = static_cast<std::size_t>(integer(v));
    };
    auto set_ms = [&](const char* key, milliseconds& out) {
      if (const YAML::Node v = n[key]) out = milliseconds(integer(v));
    };
    set_size("max_header_bytes", limits.max_header_bytes);
    set_size("max_body_bytes", limits.max_body_bytes);
    set_ms("header_timeout_ms", limits.header_timeout);
    set_ms("idle_timeout_ms", limits.idle_timeout);
    set_size("max_connections", limits.max_connections);
  }

  Result<HospitalAllowList> allow_list(const YAML::Node& n, const std::string& at) const {
    HospitalAllowList list;
    list.any = false;
    for (std::size_t i = 0; i < n.size(); ++i) {
      const std::string entry = n[i].Scalar();
      if (entry != "*") {
        list.numbers.push_back(entry);
      } else if (n.size() > 1) {
        return located(file_, n[i].Mark(), item_path(at, i),
                       "\"*\" must be the only entry (it already admits every hospital)");
      } else {
        list.any = true;
      }
    }
    return list;
  }

  Result<Listener> read_listener(const YAML::Node& n, const std::string& at) const {
    Listener l;
    l.name = n["name"].Scalar();
    l.listen = endpoint(n["listen"]);
    const YAML::Node tls = n["tls"];
    l.tls.certificate = path(tls["certificate"]);
    l.tls.private_key = key_path(tls["private_key"]);
    if (const YAML::Node v = tls["client_ca"]) l.tls.client_ca = path(v);
    if (const YAML::Node v = tls["crl"]) l.tls.crl = path(v);
    if (const YAML::Node v = tls["min_version"]) {
      l.tls.min_version = v.Scalar() == "1.2" ? TlsVersion::Tls12 : TlsVersion::Tls13;
    }
    if (const YAML::Node v = n["client_certificate"]) {
      const std::string& mode = v.Scalar();
      l.client_certificate = mode == "none"       ? ClientCertificateMode::None
                             : mode == "optional" ? ClientCertificateMode::Optional
                                                  : ClientCertificateMode::Required;
    }
    if (const YAML::Node v = n["allowed_hospitals"]) {
      NANBYO_TRY(list, allow_list(v, child_path(at, "allowed_hospitals")));
      l.allowed_hospitals = std::move(list);
    }
    if (const YAML::Node v = n["vpn"]) l.vpn = formats::parse_boolean(v.Scalar()).value();
    if (const YAML::Node v = n["allowed_countries"]) {
      for (const auto& c : v) l.allowed_countries.push_back(c.Scalar());
    }
    return l;
  }

  Result<Upstream> read_upstream(const YAML::Node& n, const std::string& at) const {
    Upstream u;
    u.name = n["name"].Scalar();
    const YAML::Node address = n["address"];
    u.address = formats::parse_upstream_address(address.Scalar()).value();
    if (auto* socket = std::get_if<UnixSocket>(&u.address)) {
      socket->path = resolve(socket->path);
      constexpr std::size_t kMax = sizeof(sockaddr_un::sun_path) - 1;
      if (socket->path.native().size() > kMax) {
        return located(file_, address.Mark(), child_path(at, "address"),
                       "the socket path is " + std::to_string(socket->path.native().size()) +
                           " bytes once resolved, more than the " + std::to_string(kMax) +
                           " a unix socket allows");
      }
    }
    if (const YAML::Node v = n["pool_size"]) u.pool_size = static_cast<std::size_t>(integer(v));
    if (const YAML::Node v = n["connect_timeout_ms"]) u.connect_timeout = milliseconds(integer(v));
    if (const YAML::Node v = n["response_timeout_ms"])
      u.response_timeout = milliseconds(integer(v));
    return u;
  }

  // A route without allowed_hospitals, or with ["*"], gets its listener's list,
  // so Route::allowed_hospitals is always the effective one.
  static InspectionMode mode(const YAML::Node& n) {
    return n.Scalar() == "detection" ? InspectionMode::Detection : InspectionMode::Blocking;
  }

  Inspection read_inspection(const YAML::Node& n) const {
    Inspection in;
    if (const YAML::Node v = n["mode"]) in.mode = mode(v);
    if (const YAML::Node v = n["paranoia_level"]) in.paranoia_level = static_cast<int>(integer(v));
    if (const YAML::Node v = n["crs_setup"]) in.crs_setup = path(v);
    if (const YAML::Node v = n["crs_rules"]) in.crs_rules = path(v);
    if (const YAML::Node v = n["local_rules"]) in.local_rules = path(v);
    if (const YAML::Node v = n["prefilter"]) {
      in.prefilter = formats::parse_boolean(v.Scalar()).value();
    }
    return in;
  }

  Ips read_ips(const YAML::Node& n) const {
    Ips ips;
    auto count = [&n](const char* key, unsigned& out) {
      if (const YAML::Node v = n[key]) out = static_cast<unsigned>(integer(v));
    };
    if (const YAML::Node v = n["window_s"]) ips.window = std::chrono::seconds(integer(v));
    if (const YAML::Node v = n["block_s"]) ips.block_duration = std::chrono::seconds(integer(v));
    count("anomaly_score", ips.anomaly_score);
    count("blocked_requests", ips.blocked_requests);
    count("failed_logins", ips.failed_logins);
    count("tunnel_alerts", ips.tunnel_alerts);
    count("requests_per_second", ips.requests_per_second);
    count("request_burst", ips.request_burst);
    count("connections_per_source", ips.connections_per_source);
    if (const YAML::Node v = n["state_file"]) ips.state_file = path(v);
    if (const YAML::Node t = n["tunnel"]) {
      TunnelDetection& d = ips.tunnel;
      if (const YAML::Node v = t["window_s"]) d.window = std::chrono::seconds(integer(v));
      auto limit = [&t](const char* key, unsigned& out) {
        if (const YAML::Node v = t[key]) out = static_cast<unsigned>(integer(v));
      };
      limit("ports_per_host", d.ports_per_host);
      limit("hosts", d.hosts);
      limit("probes_per_second", d.probes_per_second);
      limit("probe_burst", d.probe_burst);
    }
    return ips;
  }

  static RouteInspection read_route_inspection(const YAML::Node& n) {
    RouteInspection in;
    if (const YAML::Node v = n["mode"]) {
      if (v.Scalar() == "off") {
        in.off = true;
      } else {
        in.mode = mode(v);
      }
    }
    if (const YAML::Node v = n["paranoia_level"]) in.paranoia_level = static_cast<int>(integer(v));
    if (const YAML::Node list = n["exclusions"]) {
      for (const auto& e : list)
        in.exclusions.push_back({e["rule"].Scalar(), e["target"].Scalar()});
    }
    return in;
  }

  Result<Route> read_route(const YAML::Node& n, const std::string& at, const Policy& p) const {
    Route r;
    r.listener = n["listener"].Scalar();
    r.path_prefix = n["path_prefix"].Scalar();
    r.upstream = n["upstream"].Scalar();
    if (const YAML::Node v = n["inspection"]) r.inspection = read_route_inspection(v);
    if (const YAML::Node v = n["allowed_hospitals"]) {
      NANBYO_TRY(list, allow_list(v, child_path(at, "allowed_hospitals")));
      r.allowed_hospitals = std::move(list);
    }
    if (const Listener* listener = p.find_listener(r.listener);
        listener && r.allowed_hospitals.any) {
      r.allowed_hospitals = listener->allowed_hospitals;
    }
    if (const YAML::Node roles = n["roles"]) {
      for (std::size_t i = 0; i < roles.size(); ++i) r.roles.push_back(roles[i].Scalar());
    }
    return r;
  }

  std::string_view file_;
  fs::path base_dir_;
};

}  // namespace

Result<Policy> build_policy(const YAML::Node& root, std::string_view file,
                            const std::filesystem::path& base_dir) {
  return Builder(file, base_dir).policy(root);
}

}  // namespace nanbyo::policy
