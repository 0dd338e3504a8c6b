#include "gateway/control/dbus_service.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "gateway/contract/gateway1_api.h"
#include "gateway/control/asio_bus_pump.h"
#include "gateway/control/gateway1_object.h"

namespace nanbyo::gw::dbus {

namespace {

Result<void> request_name(sd_bus* bus, const BusChoice& choice) {
  // No queueing and no replacement: a second gateway must fail, not wait.
  int r = sd_bus_request_name(bus, kBusName, 0);
  if (r >= 0) return {};
  const std::string name = kBusName;
  if (r == -EEXIST || r == -EALREADY)
    return fail(name + " is already owned on " + choice.describe() +
                " (is another nanbyo-gateway running?)");
  if (r == -EACCES || r == -EPERM)
    return fail("not allowed to own " + name + " on " + choice.describe() +
                " (is the D-Bus policy org.nanbyo.Gateway1.conf installed?)");
  return fail("cannot own " + name + " on " + choice.describe() + ": " + std::strerror(-r));
}

}  // namespace

Result<std::unique_ptr<DbusControlService>> DbusControlService::start(ControlApi& api,
                                                                      asio::io_context& io,
                                                                      Options options) {
  std::unique_ptr<DbusControlService> service(new DbusControlService());
  auto bus = open_bus(options.bus);
  if (!bus) return fail("cannot connect to " + options.bus.describe() + ": " + bus.error().message);
  service->bus_ = std::move(bus).value();
  sd_bus_set_description(service->bus_.get(), "nanbyo-gateway-control");

  service->object_ =
      std::make_unique<Gateway1Object>(api, CallerPolicy(geteuid(), std::move(options.allowed_uids),
                                                         std::move(options.revoke_user_uids)));
  // Export before taking the name, so that the first call already finds the object.
  NANBYO_TRY(slot, service->object_->export_on(service->bus_.get()));
  service->slot_ = std::move(slot);
  NANBYO_TRY_VOID(request_name(service->bus_.get(), options.bus));

  auto on_failure = options.on_failure;
  if (!on_failure) {
    on_failure = [where = options.bus.describe()](const std::string& message) {
      std::cerr << "nanbyo-gateway: control bus (" << where << ") failed, nanbyoctl cannot reach "
                << "this gateway until it restarts: " << message << "\n";
    };
  }
  service->pump_ = std::make_unique<AsioBusPump>(io, service->bus_.get(), std::move(on_failure));
  service->pump_->start();
  return service;
}

DbusControlService::~DbusControlService() = default;

std::string DbusControlService::unique_name() const {
  const char* name = nullptr;
  if (sd_bus_get_unique_name(bus_.get(), &name) < 0 || !name) return {};
  return name;
}

}  // namespace nanbyo::gw::dbus
