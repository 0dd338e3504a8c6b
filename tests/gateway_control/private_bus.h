// A private dbus-daemon for one test: its own socket in a temporary
// directory, a policy that lets every local uid connect (so a test can call
// as "nobody"), stopped again by the PID we started.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>

namespace nanbyo::testing {

class PrivateBus {
 public:
  // Null, with `why_not` saying why, when dbus-daemon is missing or fails.
  // `policy` is a bus policy file included after the permissive default, as
  // the system bus includes /usr/share/dbus-1/system.d/*.conf.
  static std::unique_ptr<PrivateBus> start(const std::filesystem::path& dir, std::string& why_not,
                                           const std::filesystem::path& policy = {});
  ~PrivateBus();
  PrivateBus(const PrivateBus&) = delete;
  PrivateBus& operator=(const PrivateBus&) = delete;

  // e.g. "unix:path=/tmp/nanbyo-test-x/bus" (what nanbyoctl --bus takes).
  const std::string& address() const { return address_; }

 private:
  PrivateBus(pid_t pid, std::string address) : pid_(pid), address_(std::move(address)) {}
  pid_t pid_;
  std::string address_;
};

}  // namespace nanbyo::testing
