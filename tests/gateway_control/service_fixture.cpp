#include "service_fixture.h"

#include <catch2/catch.hpp>

namespace nanbyo::testing {

ServiceFixture::ServiceFixture(std::vector<uid_t> allowed_uids, const std::filesystem::path& policy)
    : BusOnly(policy) {
  if (!bus) return;
  gw::dbus::DbusControlService::Options options;
  options.bus = gw::dbus::BusChoice::at(bus->address());
  options.allowed_uids = std::move(allowed_uids);
  auto started = gw::dbus::DbusControlService::start(api, io, std::move(options));
  if (!started) FAIL("DbusControlService::start: " << started.error().message);
  service = std::move(started).value();
  thread_ = std::thread([this] {
    auto guard = gw::asio::make_work_guard(io);
    io.run();
  });
}

ServiceFixture::~ServiceFixture() {
  io.stop();
  if (thread_.joinable()) thread_.join();
  service.reset();  // after the loop stopped, as dbus_service.h asks
}

ProcessResult ServiceFixture::ctl(const std::vector<std::string>& args,
                                  std::optional<uid_t> uid) const {
  std::vector<std::string> full = {"--bus", bus->address()};
  full.insert(full.end(), args.begin(), args.end());
  ProcessOptions options;
  options.uid = uid;
  return run_nanbyoctl(full, dir.path(), options);
}

ProcessResult run_nanbyoctl(const std::vector<std::string>& args,
                            const std::filesystem::path& scratch, const ProcessOptions& options) {
  std::vector<std::string> argv = {NANBYOCTL_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions with_env = options;
  with_env.env.emplace("NANBYO_BUS", "");  // the caller's own setting must not leak in
  return run_process(argv, scratch, with_env);
}

}  // namespace nanbyo::testing
