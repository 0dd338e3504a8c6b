#include "appcore/web/gateway_link.h"
#include "gateway/contract/bus_choice.h"
#include "gateway/contract/gateway1_client.h"

namespace nanbyo::web {
namespace {

namespace dbus = gw::dbus;

class DbusGatewayLink final : public GatewayLink {
 public:
  explicit DbusGatewayLink(dbus::BusChoice bus) : bus_(std::move(bus)) {}

  Result<uint32_t> revoke_user(const std::string& user_id) override {
    NANBYO_TRY(client, connect());
    return client.revoke_user(user_id);
  }

  Result<bool> report_failed_login(const std::string& serial, const std::string& source) override {
    NANBYO_TRY(client, connect());
    return client.report_failed_login(serial, source);
  }

 private:
  Result<dbus::Gateway1Client> connect() const {
    return dbus::Gateway1Client::connect(bus_,
                                         "nanbyo-appcore needs the user the gateway's "
                                         "--control-revoke-user-caller names, _nanbyo-app");
  }

  dbus::BusChoice bus_;
};

class NoGatewayLink final : public GatewayLink {
 public:
  Result<uint32_t> revoke_user(const std::string&) override { return 0u; }
  Result<bool> report_failed_login(const std::string&, const std::string&) override {
    return false;
  }
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
