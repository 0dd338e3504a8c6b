#include "policy/vpn_builder.h"

#include <algorithm>
#include <cctype>

#include "policy/formats.h"
#include "policy/schema.h"

namespace nanbyo::policy {
namespace {

using formats::quote;
using schema::child_path;
using schema::item_path;
using schema::located;

class VpnBuilder {
 public:
  explicit VpnBuilder(std::string_view file) : file_(file) {}

  Result<Vpn> build(const YAML::Node& n) {
    Vpn v;
    if (const YAML::Node m = n["mode"]) {
      v.mode = m.Scalar() == "split" ? TunnelMode::Split : TunnelMode::Full;
    }
    NANBYO_TRY(pool, cidr(n["address_pool"], "vpn.address_pool"));
    if (!pool.is_v4() || pool.prefix() < 16 || pool.prefix() > 30) {
      return located(file_, n["address_pool"].Mark(), "vpn.address_pool",
                     "expected an IPv4 network from /16 to /30, got " + quote(pool.to_string()));
    }
    v.address_pool = pool;
    NANBYO_TRY(gateway, ipv4(n["gateway_address"], "vpn.gateway_address"));
    if (!pool.contains(gateway)) {
      return located(file_, n["gateway_address"].Mark(), "vpn.gateway_address",
                     gateway.to_string() + " is not inside the address pool " + pool.to_string());
    }
    v.gateway_address = gateway;
    if (const YAML::Node m = n["mtu"]) v.mtu = static_cast<unsigned>(integer(m));
    if (const YAML::Node dns = n["dns"]) {
      for (std::size_t i = 0; i < dns.size(); ++i) {
        NANBYO_TRY(address, ipv4(dns[i], item_path("vpn.dns", i)));
        v.dns.push_back(address);
      }
    }
    if (const YAML::Node d = n["default_domain"]) {
      const std::string& domain = d.Scalar();
      auto ok = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
      };
      if (domain.empty() || domain.size() > 253 || !std::all_of(domain.begin(), domain.end(), ok)) {
        return located(
            file_, d.Mark(), "vpn.default_domain",
            "expected a DNS domain of letters, digits, \"-\" and \".\", got " + quote(domain));
      }
      v.default_domain = domain;
    }
    const YAML::Node networks = n["service_networks"];
    for (std::size_t i = 0; i < networks.size(); ++i) {
      const std::string at = item_path("vpn.service_networks", i);
      NANBYO_TRY(network, cidr(networks[i], at));
      if (!network.is_v4() || network.prefix() == 0) {
        return located(file_, networks[i].Mark(), at,
                       "expected an IPv4 service network other than 0.0.0.0/0 (mode: full "
                       "routes everything into the tunnel; the networks say what it reaches), "
                       "got " +
                           quote(network.to_string()));
      }
      v.service_networks.push_back(network);
    }
    seconds(n, "keepalive_s", v.keepalive);
    seconds(n, "dpd_s", v.dpd);
    seconds(n, "idle_timeout_s", v.idle_timeout);
    seconds(n, "session_timeout_s", v.session_timeout);
    seconds(n, "cookie_lifetime_s", v.cookie_lifetime);
    if (const YAML::Node allow = n["allow"]) {
      for (std::size_t i = 0; i < allow.size(); ++i) {
        NANBYO_TRY(rule, allow_rule(allow[i], item_path("vpn.allow", i)));
        if (v.mode == TunnelMode::Full && !reachable(v, rule.destination)) {
          const YAML::Node d = allow[i]["destination"];
          return located(file_, d.Mark(), child_path(item_path("vpn.allow", i), "destination"),
                         rule.destination.to_string() +
                             " is outside the service networks and the DNS servers; in mode "
                             "full the tunnel reaches nothing else (S-6)");
        }
        v.allow.push_back(std::move(rule));
      }
    }
    return v;
  }

 private:
  static std::int64_t integer(const YAML::Node& n) {
    return formats::parse_integer(n.Scalar()).value();
  }
  static void seconds(const YAML::Node& n, const char* key, std::chrono::seconds& out) {
    if (const YAML::Node v = n[key]) out = std::chrono::seconds(integer(v));
  }

  // Full mode: an allow rule may open only what the tunnel serves.
  static bool reachable(const Vpn& v, const net::Cidr& destination) {
    for (const net::Cidr& network : v.service_networks) {
      if (network.contains(destination)) return true;
    }
    for (const net::Ipv4Address& dns : v.dns) {
      if (destination.prefix() == 32 && destination.contains(net::IpAddress(dns))) return true;
    }
    return false;
  }

  Result<net::Cidr> cidr(const YAML::Node& n, const std::string& at) const {
    auto parsed = net::Cidr::parse(n.Scalar());
    if (!parsed) return located(file_, n.Mark(), at, parsed.error().message);
    return parsed;
  }

  Result<net::Ipv4Address> ipv4(const YAML::Node& n, const std::string& at) const {
    auto address = net::Ipv4Address::parse(n.Scalar());
    if (!address)
      return located(file_, n.Mark(), at, "expected an IPv4 address, got " + quote(n.Scalar()));
    return address;
  }

  Result<VpnAllowRule> allow_rule(const YAML::Node& n, const std::string& at) const {
    VpnAllowRule rule;
    NANBYO_TRY(destination, cidr(n["destination"], child_path(at, "destination")));
    rule.destination = destination;
    if (const YAML::Node p = n["protocol"]) rule.protocol = p.Scalar();
    if (const YAML::Node ports = n["ports"]) {
      if (rule.protocol != "tcp" && rule.protocol != "udp") {
        return located(file_, ports.Mark(), child_path(at, "ports"),
                       "ports need protocol tcp or udp, got protocol " + quote(rule.protocol));
      }
      for (std::size_t i = 0; i < ports.size(); ++i) {
        auto range = net::PortRange::parse(ports[i].Scalar());
        if (!range) {
          return located(file_, ports[i].Mark(), item_path(child_path(at, "ports"), i),
                         range.error().message + ", got " + quote(ports[i].Scalar()));
        }
        rule.ports.push_back(*range);
      }
    }
    return rule;
  }

  std::string_view file_;
};

}  // namespace

Result<Vpn> build_vpn(const YAML::Node& node, std::string_view file) {
  return VpnBuilder(file).build(node);
}

}  // namespace nanbyo::policy
