// DbusControlService: the gateway's ControlApi on D-Bus (org.nanbyo.Gateway1,
// API and signatures in gateway1_api.h), for nanbyoctl, appcore and the PKI.
//
// It connects to the chosen bus, exports /org/nanbyo/Gateway1, requests the
// name (refused if another gateway holds it) and serves on the given
// io_context, which must be run by one thread (asio_bus_pump.h): the gateway's
// control loop. ControlApi calls therefore run in that thread.
//
// Access (caller.h): the bus policy decides who may call at all; Disconnect,
// RevokeCertificate, RevokeUser and Reload also need euid 0, the gateway's own
// uid, or a uid in Options::allowed_uids. requested_by is e.g.
// "dbus :1.42 uid=0".
//
// Destroy it in the io_context's thread or after the io_context has stopped;
// closing the connection gives the name up.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gateway/asio.h"
#include "gateway/contract/bus_choice.h"
#include "gateway/contract/sd_bus_handles.h"
#include "gateway/control_api.h"
#include "pki/result.h"

namespace nanbyo::gw::dbus {

class AsioBusPump;
class Gateway1Object;

class DbusControlService {
 public:
  struct Options {
    BusChoice bus = BusChoice::system();
    std::vector<uid_t> allowed_uids;      // besides root and the gateway's own uid
    std::vector<uid_t> revoke_user_uids;  // may call RevokeUser only (the application core)
    // Called (in the io_context's thread) if the bus connection breaks later;
    // by default one line on stderr.
    std::function<void(const std::string&)> on_failure;
  };

  // Errors name the bus, e.g. "org.nanbyo.Gateway1 is already owned on the
  // system bus (is another nanbyo-gateway running?)".
  static Result<std::unique_ptr<DbusControlService>> start(ControlApi& api, asio::io_context& io,
                                                           Options options);
  ~DbusControlService();
  DbusControlService(const DbusControlService&) = delete;
  DbusControlService& operator=(const DbusControlService&) = delete;

  // Our unique name on the bus, e.g. ":1.7".
  std::string unique_name() const;

 private:
  DbusControlService() = default;

  // Declaration order is teardown order in reverse: the pump lets go of the
  // fd first, then the object is withdrawn, then the connection closes.
  SdBus bus_;
  std::unique_ptr<Gateway1Object> object_;
  SdSlot slot_;
  std::unique_ptr<AsioBusPump> pump_;
};

}  // namespace nanbyo::gw::dbus
