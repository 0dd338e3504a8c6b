#include "policy/cross_checks.h"

#include <algorithm>

#include "policy/formats.h"
#include "policy/schema.h"

namespace nanbyo::policy {
namespace {

using formats::quote;
using schema::child_path;
using schema::item_path;
using schema::located;

class CrossChecker {
 public:
  CrossChecker(const Policy& policy, const YAML::Node& root, std::string_view file)
      : p_(policy), root_(root), file_(file) {}

  Result<void> run() {
    NANBYO_TRY_VOID(unique_names(p_.listeners, "listeners", "listener"));
    NANBYO_TRY_VOID(unique_names(p_.upstreams, "upstreams", "upstream"));
    NANBYO_TRY_VOID(distinct_listen_addresses());
    NANBYO_TRY_VOID(client_ca_where_needed());
    NANBYO_TRY_VOID(vpn_where_needed());
    NANBYO_TRY_VOID(routes_resolve());
    return crl_where_needed();
  }

 private:
  // The node at section[index].key; the entry itself when the key is absent.
  YAML::Mark mark_of(const char* section, std::size_t index, const char* key = nullptr) const {
    const YAML::Node entry = root_[section][index];
    if (key != nullptr) {
      if (const YAML::Node value = entry[key]) return value.Mark();
    }
    return entry.Mark();
  }

  template <typename T>
  Result<void> unique_names(const std::vector<T>& items, const char* section, const char* what) {
    for (std::size_t j = 0; j < items.size(); ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        if (items[i].name != items[j].name) continue;
        return located(file_, mark_of(section, j, "name"),
                       child_path(item_path(section, j), "name"),
                       "duplicate " + std::string(what) + " name " + quote(items[j].name) +
                           " (first at " + item_path(section, i) + ")");
      }
    }
    return {};
  }

  // Two sockets collide on the same port when the addresses are equal or
  // either is the wildcard (0.0.0.0 or [::]).
  Result<void> distinct_listen_addresses() {
    struct Bound {
      Endpoint endpoint;
      std::string path;
    };
    std::vector<Bound> bound;
    const bool metrics_in_file = root_["admin"] && root_["admin"]["metrics_listen"];
    bound.push_back({p_.admin.metrics_listen, metrics_in_file
                                                  ? "admin.metrics_listen"
                                                  : "admin.metrics_listen (the default)"});
    if (p_.ipsec) {
      const bool ocsp_in_file = root_["ipsec"] && root_["ipsec"]["ocsp_listen"];
      const std::string path =
          ocsp_in_file ? "ipsec.ocsp_listen" : "ipsec.ocsp_listen (the default)";
      if (p_.ipsec->ocsp_listen == p_.admin.metrics_listen) {
        const YAML::Node at = ocsp_in_file ? root_["ipsec"]["ocsp_listen"] : root_["ipsec"];
        return located(file_, at.Mark(), path,
                       p_.ipsec->ocsp_listen.to_string() + " is already used by " + bound[0].path);
      }
      bound.push_back({p_.ipsec->ocsp_listen, path});
    }
    for (std::size_t j = 0; j < p_.listeners.size(); ++j) {
      const Endpoint& e = p_.listeners[j].listen;
      const std::string path = child_path(item_path("listeners", j), "listen");
      for (const auto& b : bound) {
        const Endpoint& other = b.endpoint;
        if (other.port != e.port) continue;
        if (other == e) {
          return located(file_, mark_of("listeners", j, "listen"), path,
                         e.to_string() + " is already used by " + b.path);
        }
        if (formats::is_unspecified(other) || formats::is_unspecified(e)) {
          return located(file_, mark_of("listeners", j, "listen"), path,
                         e.to_string() + " overlaps " + b.path + " (" + other.to_string() + ")");
        }
      }
      bound.push_back({e, path});
    }
    return {};
  }

  // A listener that checks client certificates checks them against a CRL: without one a
  // revoked PC would pass every handshake until the process restarts (S-8, issue 14).
  Result<void> crl_where_needed() {
    for (std::size_t i = 0; i < p_.listeners.size(); ++i) {
      const Listener& l = p_.listeners[i];
      if (l.client_certificate == ClientCertificateMode::None || !l.tls.crl.empty()) continue;
      return located(file_, mark_of("listeners", i, "tls"),
                     child_path(item_path("listeners", i), "tls"),
                     "missing required key \"crl\" (a listener that checks client certificates "
                     "needs the CA's CRL)");
    }
    return {};
  }

  Result<void> client_ca_where_needed() {
    for (std::size_t i = 0; i < p_.listeners.size(); ++i) {
      const Listener& l = p_.listeners[i];
      if (l.client_certificate == ClientCertificateMode::None || !l.tls.client_ca.empty()) continue;
      return located(
          file_, mark_of("listeners", i, "tls"), child_path(item_path("listeners", i), "tls"),
          "missing required key \"client_ca\" (needed unless client_certificate is none)");
    }
    return {};
  }

  // A VPN listener needs the vpn section, and a client certificate: the tunnel's identity
  // (address lease, packet policy, revocation) is the certificate's.
  Result<void> vpn_where_needed() {
    for (std::size_t i = 0; i < p_.listeners.size(); ++i) {
      const Listener& l = p_.listeners[i];
      if (!l.vpn) continue;
      const std::string at = child_path(item_path("listeners", i), "vpn");
      if (!p_.vpn) {
        return located(file_, mark_of("listeners", i, "vpn"), at,
                       "vpn is true but the policy has no top-level \"vpn\" section");
      }
      if (l.client_certificate != ClientCertificateMode::Required) {
        return located(file_, mark_of("listeners", i, "vpn"), at,
                       "a VPN listener needs client_certificate: required");
      }
    }
    return {};
  }

  Result<void> routes_resolve() {
    for (std::size_t j = 0; j < p_.routes.size(); ++j) {
      const Route& r = p_.routes[j];
      const std::string at = item_path("routes", j);
      const Listener* listener = p_.find_listener(r.listener);
      if (listener == nullptr) {
        return located(file_, mark_of("routes", j, "listener"), child_path(at, "listener"),
                       "no listener named " + quote(r.listener));
      }
      if (p_.find_upstream(r.upstream) == nullptr) {
        return located(file_, mark_of("routes", j, "upstream"), child_path(at, "upstream"),
                       "no upstream named " + quote(r.upstream));
      }
      for (std::size_t i = 0; i < j; ++i) {
        const Route& earlier = p_.routes[i];
        if (earlier.listener != r.listener || earlier.path_prefix != r.path_prefix) continue;
        return located(file_, mark_of("routes", j, "path_prefix"), child_path(at, "path_prefix"),
                       "duplicate route for listener " + quote(r.listener) + " and path_prefix " +
                           quote(r.path_prefix) + " (first at " + item_path("routes", i) + ")");
      }
      NANBYO_TRY_VOID(hospitals_within_listener(r, *listener, j));
    }
    return {};
  }

  // A route cannot admit a hospital its listener turns away.
  Result<void> hospitals_within_listener(const Route& r, const Listener& l, std::size_t j) {
    if (l.allowed_hospitals.any) return {};
    const auto& admitted = l.allowed_hospitals.numbers;
    for (std::size_t i = 0; i < r.allowed_hospitals.numbers.size(); ++i) {
      const std::string& number = r.allowed_hospitals.numbers[i];
      if (std::find(admitted.begin(), admitted.end(), number) != admitted.end()) continue;
      const YAML::Node list = root_["routes"][j]["allowed_hospitals"];
      return located(file_, list[i].Mark(),
                     item_path(child_path(item_path("routes", j), "allowed_hospitals"), i),
                     "hospital " + quote(number) + " is not admitted by listener " + quote(l.name));
    }
    return {};
  }

  const Policy& p_;
  const YAML::Node& root_;
  std::string_view file_;
};

}  // namespace

Result<void> check_cross_references(const Policy& policy, const YAML::Node& root,
                                    std::string_view file) {
  return CrossChecker(policy, root, file).run();
}

}  // namespace nanbyo::policy
