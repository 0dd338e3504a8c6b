// A policy and a RequestView for the request stage tests.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "gateway/stages/request_chain.h"
#include "policy/loader.h"

namespace nanbyo::gw::testing {

// The listener and upstream every gateway unit test uses, then `rest` (routes, sections).
inline std::shared_ptr<const policy::Policy> policy_with(const std::string& rest) {
  auto loaded = policy::load_policy_text(R"(
version: 1
audit: {path: /tmp/audit.jsonl}
listeners:
  - name: hospital
    listen: 127.0.0.1:8443
    tls: {certificate: s.crt, private_key: s.key, client_ca: ca.crt, crl: crl.pem}
upstreams:
  - {name: appcore, address: 127.0.0.1:9000}
)" + rest,
                                         "test.yaml");
  INFO((loaded ? std::string() : loaded.error().message));
  REQUIRE(loaded.ok());
  return loaded.value();
}

inline std::shared_ptr<const policy::Policy> stage_policy(const std::string& extra = "") {
  return policy_with(R"(routes:
  - {listener: hospital, path_prefix: /, upstream: appcore}
  - {listener: hospital, path_prefix: /tokyo, upstream: appcore, allowed_hospitals: ["1310000001"]}
  - {listener: hospital, path_prefix: /admin, upstream: appcore, allowed_hospitals: ["1310000001"]}
)" + extra);
}

// Owns what a RequestView refers to.
struct StageCase {
  std::shared_ptr<const policy::Policy> policy = stage_policy();
  Request request;
  PeerIdentity identity{"ABCDEF", "2710000002", "pc01", ""};
  std::string peer = "127.0.0.1:40000";
  std::string request_id = "req-1";
  std::string added_fields;

  // The value of `name` among the lines the identity stage added, or "" without one.
  std::string added(std::string_view name) const {
    const std::string line = std::string(name) + ": ";
    const auto at = added_fields.find(line);
    if (at == std::string::npos || (at > 0 && added_fields[at - 1] != '\n')) return "";
    const auto begin = at + line.size();
    return added_fields.substr(begin, added_fields.find("\r\n", begin) - begin);
  }

  StageCase(http::verb method, std::string target) : request(method, target, 11) {
    request.set(http::field::host, "gw.example.jp");
  }
  RequestView view() {
    return RequestView{request,      *policy, policy->listeners.at(0),
                       identity,     peer,    request_id,
                       added_fields, nullptr, nullptr,
                       {},           {}};
  }
};

}  // namespace nanbyo::gw::testing
