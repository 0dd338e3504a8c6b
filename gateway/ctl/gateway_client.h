// GatewayClient: nanbyoctl's typed view of org.nanbyo.Gateway1
// (gateway/control/gateway1_api.h). Every failure is one line an operator can
// act on, e.g. "cannot reach nanbyo-gateway on the system bus: it is not
// running (org.nanbyo.Gateway1 has no owner)".
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gateway/connection_registry.h"
#include "gateway/control/bus_choice.h"
#include "gateway/control/gateway1_api.h"
#include "gateway/control/sd_bus_handles.h"
#include "pki/result.h"

namespace nanbyo::ctl {

using Counters = std::vector<std::pair<std::string, uint64_t>>;

class GatewayClient {
 public:
  static Result<GatewayClient> connect(const gw::dbus::BusChoice& bus);

  Result<std::vector<gw::ConnectionSummary>> connections();
  Result<Counters> statistics();
  Result<bool> disconnect(uint64_t id);                            // false: no such connection
  Result<uint32_t> revoke_certificate(const std::string& serial);  // connections closed
  Result<uint32_t> revoke_user(const std::string& user);
  Result<void> reload();  // the refusal's message is the gateway's reason

 private:
  GatewayClient(gw::dbus::BusChoice choice, gw::dbus::SdBus bus)
      : choice_(std::move(choice)), bus_(std::move(bus)) {}

  template <typename... Args>
  Result<gw::dbus::SdMessage> call(const char* method, const char* types, Args... args) {
    gw::dbus::BusError error;
    sd_bus_message* reply = nullptr;
    int r = sd_bus_call_method(bus_.get(), gw::dbus::kBusName, gw::dbus::kObjectPath,
                               gw::dbus::kInterface, method, error.get(), &reply, types, args...);
    if (r < 0) return explain(method, error, r);
    return gw::dbus::SdMessage(reply);
  }
  Error explain(const char* method, const gw::dbus::BusError& error, int r) const;
  Error bad_reply(const char* method, int r) const;

  gw::dbus::BusChoice choice_;
  gw::dbus::SdBus bus_;
};

}  // namespace nanbyo::ctl
