#include <cstring>

#include "appcore/web/gateway_link.h"
#include "gateway/control/bus_choice.h"
#include "gateway/control/gateway1_api.h"
#include "gateway/control/sd_bus_handles.h"

namespace nanbyo::web {
namespace {

namespace dbus = gw::dbus;

class DbusGatewayLink final : public GatewayLink {
 public:
  explicit DbusGatewayLink(dbus::BusChoice bus) : bus_(std::move(bus)) {}

  Result<uint32_t> revoke_user(const std::string& user_id) override {
    auto bus = dbus::open_bus(bus_);
    if (!bus)
      return fail("cannot reach the gateway on " + bus_.describe() + ": " + bus.error().message);
    dbus::BusError error;
    sd_bus_message* raw = nullptr;
    int r = sd_bus_call_method(bus->get(), dbus::kBusName, dbus::kObjectPath, dbus::kInterface,
                               "RevokeUser", error.get(), &raw, "s", user_id.c_str());
    dbus::SdMessage reply(raw);
    if (r < 0) {
      return fail("the gateway refused RevokeUser on " + bus_.describe() + ": " +
                  (error.is_set() ? error.name() + " " + error.message() : std::strerror(-r)));
    }
    uint32_t closed = 0;
    if ((r = sd_bus_message_read(reply.get(), "u", &closed)) < 0)
      return fail("unexpected RevokeUser reply from the gateway: " +
                  std::string(std::strerror(-r)));
    return closed;
  }

 private:
  dbus::BusChoice bus_;
};

class NoGatewayLink final : public GatewayLink {
 public:
  Result<uint32_t> revoke_user(const std::string&) override { return 0u; }
};

}  // namespace

Result<std::unique_ptr<GatewayLink>> make_dbus_gateway_link(const std::string& bus) {
  NANBYO_TRY(choice, dbus::BusChoice::parse(bus));
  // Connect once now: a bus that cannot be reached would leave revoked keys
  // logged in (S-8), so the start fails instead (issue 13).
  if (auto probe = dbus::open_bus(choice); !probe)
    return fail("cannot reach the bus " + choice.describe() + ": " + probe.error().message);
  return std::unique_ptr<GatewayLink>(std::make_unique<DbusGatewayLink>(std::move(choice)));
}

std::unique_ptr<GatewayLink> make_no_gateway_link() {
  return std::make_unique<NoGatewayLink>();
}

}  // namespace nanbyo::web
