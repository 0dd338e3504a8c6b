// A private bus with DbusControlService serving a FakeControlApi from an
// io_context in its own thread, and a way to run the real nanbyoctl at it.
//
// Catch2 2.13 has no SKIP: when dbus-daemon is missing, a test that starts
// with NANBYO_REQUIRE_BUS(fixture) WARNs "SKIPPED: ..." and returns (passing).
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "../pki/test_support.h"
#include "child_process.h"
#include "fake_control_api.h"
#include "gateway/asio.h"
#include "gateway/control/dbus_service.h"
#include "private_bus.h"

namespace nanbyo::testing {

// Just the bus, no gateway on it; `policy` as in PrivateBus::start.
struct BusOnly {
  explicit BusOnly(const std::filesystem::path& policy = {})
      : bus(PrivateBus::start(dir.path(), why_not, policy)) {}
  TempDir dir;
  std::string why_not;
  std::unique_ptr<PrivateBus> bus;
};

struct ServiceFixture : BusOnly {
  explicit ServiceFixture(std::vector<uid_t> allowed_uids = {},
                          const std::filesystem::path& policy = {});
  ~ServiceFixture();

  // nanbyoctl with `args` after --bus <this bus>.
  ProcessResult ctl(const std::vector<std::string>& args, std::optional<uid_t> uid = {}) const;

  FakeControlApi api;
  gw::asio::io_context io;
  std::unique_ptr<gw::dbus::DbusControlService> service;

 private:
  std::thread thread_;
};

// nanbyoctl exactly as given (no --bus added).
ProcessResult run_nanbyoctl(const std::vector<std::string>& args,
                            const std::filesystem::path& scratch,
                            const ProcessOptions& options = {});

}  // namespace nanbyo::testing

#define NANBYO_REQUIRE_BUS(fixture)                                    \
  do {                                                                 \
    if (!(fixture).bus) {                                              \
      WARN("SKIPPED: no private D-Bus daemon: " << (fixture).why_not); \
      return;                                                          \
    }                                                                  \
  } while (0)
