#include "policy/ipsec_builder.h"

#include "policy/formats.h"
#include "policy/schema.h"

namespace nanbyo::policy {
namespace {

using formats::quote;
using schema::item_path;
using schema::located;

Result<net::Cidr> ipv4_network(const YAML::Node& n, std::string_view file, const std::string& at) {
  auto parsed = net::Cidr::parse(n.Scalar());
  if (!parsed) return located(file, n.Mark(), at, parsed.error().message);
  if (!parsed->is_v4()) {
    return located(file, n.Mark(), at, "expected an IPv4 network, got " + quote(n.Scalar()));
  }
  return parsed;
}

std::chrono::seconds seconds_or(const YAML::Node& n, const char* key, std::chrono::seconds dflt) {
  if (const YAML::Node v = n[key]) {
    return std::chrono::seconds(formats::parse_integer(v.Scalar()).value());
  }
  return dflt;
}

std::vector<std::string> scalars(const YAML::Node& n) {
  std::vector<std::string> out;
  for (const auto& item : n) out.push_back(item.Scalar());
  return out;
}

}  // namespace

Result<Ipsec> build_ipsec(
    const YAML::Node& n, std::string_view file, const PathOf& path, const PathOf& key_path,
    const std::function<Result<HospitalAllowList>(const YAML::Node&)>& allow_list) {
  Ipsec s;
  if (const YAML::Node v = n["name"]) s.name = v.Scalar();
  if (const YAML::Node addresses = n["local_addresses"]) {
    for (std::size_t i = 0; i < addresses.size(); ++i) {
      auto address = net::IpAddress::parse(addresses[i].Scalar());
      if (!address) {
        return located(file, addresses[i].Mark(), item_path("ipsec.local_addresses", i),
                       "expected an IP address, got " + quote(addresses[i].Scalar()));
      }
      s.local_addresses.push_back(*address);
    }
  }
  s.certificate = path(n["certificate"]);
  s.private_key = key_path(n["private_key"]);
  s.client_ca = path(n["client_ca"]);
  s.crl = path(n["crl"]);
  if (const YAML::Node v = n["allowed_hospitals"]) {
    NANBYO_TRY(list, allow_list(v));
    s.allowed_hospitals = std::move(list);
  }
  if (const YAML::Node v = n["ike_proposals"]) s.ike_proposals = scalars(v);
  if (const YAML::Node v = n["esp_proposals"]) s.esp_proposals = scalars(v);
  NANBYO_TRY(pool, ipv4_network(n["address_pool"], file, "ipsec.address_pool"));
  if (pool.prefix() < 16 || pool.prefix() > 30) {
    return located(file, n["address_pool"].Mark(), "ipsec.address_pool",
                   "expected an IPv4 network from /16 to /30, got " + quote(pool.to_string()));
  }
  s.address_pool = pool;
  const YAML::Node networks = n["service_networks"];
  for (std::size_t i = 0; i < networks.size(); ++i) {
    const std::string at = item_path("ipsec.service_networks", i);
    NANBYO_TRY(network, ipv4_network(networks[i], file, at));
    if (network.prefix() == 0) {
      return located(file, networks[i].Mark(), at,
                     "0.0.0.0/0 would let the site reach everything; name the service networks "
                     "(they are the only traffic selectors, S-6)");
    }
    if (network.contains(pool.network()) || pool.contains(network.network())) {
      return located(file, networks[i].Mark(), at,
                     network.to_string() + " overlaps the address pool " + pool.to_string());
    }
    s.service_networks.push_back(network);
  }
  s.dpd = seconds_or(n, "dpd_s", s.dpd);
  s.ike_lifetime = seconds_or(n, "ike_lifetime_s", s.ike_lifetime);
  s.child_lifetime = seconds_or(n, "child_lifetime_s", s.child_lifetime);
  if (s.child_lifetime >= s.ike_lifetime) {
    const bool child_given = static_cast<bool>(n["child_lifetime_s"]);
    const YAML::Node at = child_given ? n["child_lifetime_s"] : n["ike_lifetime_s"];
    return located(file, at.Mark(), child_given ? "ipsec.child_lifetime_s" : "ipsec.ike_lifetime_s",
                   "the CHILD SA lifetime (" + std::to_string(s.child_lifetime.count()) +
                       " s) must be shorter than the IKE SA lifetime (" +
                       std::to_string(s.ike_lifetime.count()) + " s)");
  }
  if (const YAML::Node v = n["vici_socket"]) s.vici_socket = path(v);
  if (const YAML::Node v = n["ocsp_listen"]) {
    s.ocsp_listen = formats::parse_endpoint(v.Scalar()).value();
  }
  return s;
}

}  // namespace nanbyo::policy
