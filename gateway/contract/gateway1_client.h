// Gateway1Client: the one typed client of org.nanbyo.Gateway1 (gateway1_api.h), for the
// application core (RevokeUser, appcore/web/dbus_gateway_link.cpp) and nanbyoctl. Every
// failure is one line its user can act on, e.g. "cannot reach nanbyo-gateway on the system
// bus: it is not running (org.nanbyo.Gateway1 has no owner)".
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gateway/contract/bus_choice.h"
#include "gateway/contract/gateway1_api.h"
#include "gateway/contract/sd_bus_handles.h"
#include "pki/result.h"

namespace nanbyo::gw::dbus {

using Counters = std::vector<std::pair<std::string, uint64_t>>;

struct BlockEntry {
  std::string kind, value, reason, origin;
  int64_t since = 0;  // Unix seconds
  uint64_t seconds_left = 0;
};

class Gateway1Client {
 public:
  // `who_may_call` completes a permission refusal: who the caller must be, e.g.
  // "nanbyoctl needs root or a member of nanbyo-admin".
  static Result<Gateway1Client> connect(const BusChoice& bus, std::string who_may_call);

  Result<Counters> statistics();
  Result<bool> disconnect(uint64_t id);                            // false: no such connection
  Result<uint32_t> revoke_certificate(const std::string& serial);  // connections closed
  Result<uint32_t> revoke_user(const std::string& user);
  Result<void> reload();  // the refusal's message is the gateway's reason
  // IPS (issue 14): `kind` is "terminal" or "source".
  Result<std::vector<BlockEntry>> list_blocks();
  Result<uint32_t> block(const std::string& kind, const std::string& value, uint32_t seconds,
                         const std::string& reason);                     // connections closed
  Result<bool> lift(const std::string& kind, const std::string& value);  // false: not blocked
  Result<bool> report_failed_login(const std::string& serial, const std::string& source);

  // A call whose reply the caller reads itself (nanbyoctl's ListConnections), and the
  // message for a reply that does not read as its signature says.
  template <typename... Args>
  Result<SdMessage> call(const char* method, const char* types, Args... args) {
    BusError error;
    sd_bus_message* reply = nullptr;
    int r = sd_bus_call_method(bus_.get(), kBusName, kObjectPath, kInterface, method, error.get(),
                               &reply, types, args...);
    if (r < 0) return explain(method, error, r);
    return SdMessage(reply);
  }
  Error bad_reply(const char* method, int r) const;

 private:
  Gateway1Client(BusChoice choice, SdBus bus, std::string who_may_call)
      : choice_(std::move(choice)), bus_(std::move(bus)), who_may_call_(std::move(who_may_call)) {}

  Error explain(const char* method, const BusError& error, int r) const;
  // RevokeCertificate and RevokeUser: one non-empty UTF-8 name -> u closed.
  Result<uint32_t> revoke(const char* method, const char* what, const std::string& name);

  BusChoice choice_;
  SdBus bus_;
  std::string who_may_call_;
};

}  // namespace nanbyo::gw::dbus
