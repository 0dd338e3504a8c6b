#include "gateway/request_stages.h"

#include <cctype>

namespace nanbyo::gw {

void strip_hop_by_hop(http::fields& fields) {
  // Headers named in Connection are hop-by-hop too (RFC 9110 7.6.1).
  std::vector<std::string> named;
  for (auto it = fields.find(http::field::connection);
       it != fields.end() && it->name() == http::field::connection; ++it) {
    std::string value(it->value());
    std::size_t start = 0;
    while (start < value.size()) {
      auto end = value.find(',', start);
      if (end == std::string::npos) end = value.size();
      std::string token = value.substr(start, end - start);
      token.erase(0, token.find_first_not_of(" \t"));
      token.erase(token.find_last_not_of(" \t") + 1);
      if (!token.empty()) named.push_back(token);
      start = end + 1;
    }
  }
  for (const auto& name : named) fields.erase(name);
  for (auto f : {http::field::connection, http::field::keep_alive, http::field::proxy_connection,
                 http::field::proxy_authorization, http::field::te, http::field::trailer,
                 http::field::upgrade}) {
    fields.erase(f);
  }
}

void rewrite_identity_headers(Request& request, const PeerIdentity& identity,
                              const std::string& listener, const std::string& peer,
                              const std::string& request_id) {
  strip_hop_by_hop(request);
  for (const char* name : kIdentityHeaders) request.erase(name);
  request.erase(kSessionHeader);
  if (!identity.serial.empty()) {
    request.set(contract::kCertSerialHeader, identity.serial);
    request.set(contract::kHospitalHeader, identity.hospital);
    request.set(contract::kTerminalHeader, identity.terminal);
  }
  request.set(contract::kListenerHeader, listener);
  request.set(contract::kRequestIdHeader, request_id);
  std::string address = peer.substr(0, peer.rfind(':'));
  if (address.size() > 2 && address.front() == '[') address = address.substr(1, address.size() - 2);
  request.set(contract::kForwardedForHeader, address);
  request.set(contract::kForwardedProtoHeader, contract::kForwardedProto);
  request.keep_alive(true);
  request.prepare_payload();
}

bool normalized_path(std::string_view target, std::string& path) {
  if (target.empty() || target.front() != '/') return false;
  if (target.find('#') != std::string_view::npos) return false;  // never valid in a request
  std::string_view p = target.substr(0, target.find('?'));
  // Encoded dots, slashes, backslashes and NULs let a path mean something else
  // to the upstream than to the router: refuse them rather than guess.
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') return false;
    if (p[i] != '%') continue;
    if (i + 2 >= p.size()) return false;
    const char a = p[i + 1];
    const char b = static_cast<char>(std::tolower(static_cast<unsigned char>(p[i + 2])));
    if ((a == '2' && (b == 'e' || b == 'f')) || (a == '5' && b == 'c') || (a == '0' && b == '0')) {
      return false;
    }
  }
  // Segments: no "", ".", ".." (a trailing "/" is allowed).
  std::size_t start = 1;
  while (start <= p.size()) {
    std::size_t end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    std::string_view segment = p.substr(start, end - start);
    const bool last = end == p.size();
    if ((segment.empty() && !last) || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  path.assign(p);
  return true;
}

StageVerdict route_request(const policy::Policy& policy, const std::string& listener,
                           const PeerIdentity& identity, const Request& request,
                           const policy::Route*& route) {
  std::string path;
  if (!normalized_path(std::string_view(request.target().data(), request.target().size()), path)) {
    return {false, http::status::bad_request, "bad-target",
            "request target is not a normalized absolute path"};
  }
  route = policy.match(listener, path);
  if (!route) return {false, http::status::not_found, "no-route", "no route for " + path};
  // Without a certificate (client_certificate: optional/none) only routes open
  // to every hospital pass; a hospital list always needs a verified identity.
  const bool allowed = identity.hospital.empty()
                           ? route->allowed_hospitals.any
                           : policy.allows_hospital(*route, identity.hospital);
  if (!allowed) {
    return {false, http::status::forbidden, "hospital-not-allowed",
            (identity.hospital.empty() ? std::string("a client without certificate")
                                       : "hospital " + identity.hospital) +
                " may not use " + route->path_prefix};
  }
  return {};
}

}  // namespace nanbyo::gw
