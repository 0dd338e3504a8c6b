#include "gateway/stages/identity_headers.h"

#include <vector>

#include "gateway/stages/ascii_case.h"
#include "gateway/stages/hop_by_hop.h"

namespace nanbyo::gw {
namespace {

// X-Forwarded-For and the like: set by the gateway, sent by ordinary client-side proxies.
bool is_forwarding_header(std::string_view name) {
  for (const char* own : kIdentityHeaders) {
    if (equals_ignoring_case(name, own)) return true;
  }
  return false;
}

}  // namespace

bool is_identity_header(std::string_view name, const policy::Http& http) {
  if (starts_with_ignoring_case(name, kGatewayHeaderPrefix) || is_forwarding_header(name)) {
    return true;
  }
  for (const std::string& pattern : http.identity_headers) {
    const bool prefix = !pattern.empty() && pattern.back() == '*';
    const std::string_view stem(pattern.data(), pattern.size() - (prefix ? 1 : 0));
    if (prefix ? starts_with_ignoring_case(name, stem) : equals_ignoring_case(name, stem))
      return true;
  }
  return false;
}

StageVerdict IdentityHeaders::run(RequestView& view) const {
  Request& request = view.request;
  strip_hop_by_hop(request);
  for (auto it = request.begin(); it != request.end();) {
    const std::string_view name(it->name_string().data(), it->name_string().size());
    if (!is_identity_header(name, view.policy.http)) {
      ++it;
      continue;
    }
    // A claimed identity (X-Nanbyo-*, a certificate or user header) is worth the audit
    // record; forwarding headers are ordinary.
    if (!is_forwarding_header(name)) view.dropped.emplace_back(name);
    it = request.erase(it);
  }
  // Every one of these names was just removed in any letter case: added, no search.
  std::string& out = view.added_fields;
  out.clear();
  auto add = [&out](std::string_view name, std::string_view value) {
    out.append(name);
    out += ": ";
    out.append(value);
    out += "\r\n";
  };
  const PeerIdentity& identity = view.identity;
  if (!identity.serial.empty()) {
    add(contract::kCertSerialHeader, identity.serial);
    add(contract::kHospitalHeader, identity.hospital);
    add(contract::kTerminalHeader, identity.terminal);
  }
  add(contract::kListenerHeader, view.listener.name);
  add(contract::kRequestIdHeader, view.request_id);
  std::string_view address(view.peer);
  address = address.substr(0, address.rfind(':'));
  if (address.size() > 2 && address.front() == '[') address = address.substr(1, address.size() - 2);
  add(contract::kForwardedForHeader, address);
  add(contract::kForwardedProtoHeader, contract::kForwardedProto);
  request.keep_alive(true);
  request.prepare_payload();
  return {};
}

}  // namespace nanbyo::gw
