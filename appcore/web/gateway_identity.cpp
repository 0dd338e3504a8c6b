#include "appcore/web/gateway_identity.h"

#include <algorithm>

#include "gateway/contract/identity_headers.h"

namespace nanbyo::web {
namespace {

// One value, bounded and printable: a header the gateway sets is never
// repeated or long, and the ones it always sets are never empty, so anything
// else did not come from it. (A certificate without a hospital gives an empty
// X-Nanbyo-Hospital.)
Result<std::string> single(const Request& request, const char* name, bool required) {
  auto range = request.equal_range(name);
  if (range.first == range.second) {
    if (required) return fail(std::string("missing gateway header ") + name);
    return std::string();
  }
  if (std::next(range.first) != range.second)
    return fail(std::string("repeated gateway header ") + name);
  std::string value(range.first->value());
  const bool printable = std::all_of(value.begin(), value.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
  if ((required && value.empty()) || value.size() > 256 || !printable)
    return fail(std::string("malformed gateway header ") + name);
  return value;
}

}  // namespace

std::string GatewayIdentity::describe() const {
  std::string who = has_certificate() ? cert_serial + "@" + hospital + "/" + terminal : "no-cert";
  return who + " from " + client_address;
}

Result<GatewayIdentity> read_gateway_identity(const Request& request, bool trusted_transport) {
  if (!trusted_transport) return fail("request did not come through the gateway");
  GatewayIdentity id;
  using namespace contract;
  NANBYO_TRY(listener, single(request, kListenerHeader, true));
  NANBYO_TRY(request_id, single(request, kRequestIdHeader, true));
  NANBYO_TRY(address, single(request, kForwardedForHeader, true));
  NANBYO_TRY(proto, single(request, kForwardedProtoHeader, true));
  if (proto != kForwardedProto)
    return fail(std::string("gateway header ") + kForwardedProtoHeader + " is not " +
                kForwardedProto);
  NANBYO_TRY(serial, single(request, kCertSerialHeader, false));
  NANBYO_TRY(hospital, single(request, kHospitalHeader, false));
  NANBYO_TRY(terminal, single(request, kTerminalHeader, false));
  id.listener = std::move(listener);
  id.request_id = std::move(request_id);
  id.client_address = std::move(address);
  id.cert_serial = std::move(serial);
  id.hospital = std::move(hospital);
  id.terminal = std::move(terminal);
  return id;
}

}  // namespace nanbyo::web
