// The GatewayLink seam: after the core revokes a user's key (ID-5 extension,
// ID-6 transfer-out, ID-7 key reissue/delete), the gateway must close every
// live connection of that user and refuse their older sessions (S-8); and a refused login
// counts toward the gateway's blocks (issue 14). The D-Bus implementation calls
// org.nanbyo.Gateway1.RevokeUser(s) -> u and ReportFailedLogin(ss) -> b through the
// contract's Gateway1Client (gateway/contract/).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "pki/result.h"

namespace nanbyo::web {

class GatewayLink {
 public:
  virtual ~GatewayLink() = default;
  // Blocking; the number of connections the gateway closed.
  [[nodiscard]] virtual Result<uint32_t> revoke_user(const std::string& user_id) = 0;
  // A refused login at a terminal (certificate serial, "" without one) from a source
  // address, for the gateway's intrusion prevention (issue 14): true when the gateway
  // blocked the terminal (or source) for it.
  [[nodiscard]] virtual Result<bool> report_failed_login(const std::string& serial,
                                                         const std::string& source) = 0;
};

// bus: "system", "session" or a D-Bus address ("unix:path=/run/x/bus"),
// connected to once here: a bus that cannot be reached is an error.
// A new connection per call: revocations are rare, and sd-bus connections
// must not be shared between threads.
Result<std::unique_ptr<GatewayLink>> make_dbus_gateway_link(const std::string& bus);

// No gateway (development without one): revocations end the sessions in the
// core only; says so in its result count (0).
std::unique_ptr<GatewayLink> make_no_gateway_link();

}  // namespace nanbyo::web
