// Runs a program (nanbyoctl, dbus-daemon) from a test: argv, extra
// environment, optionally as another uid, with stdout and stderr captured.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nanbyo::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when it did not exit normally (killed after the timeout)
  std::string out;
  std::string err;
};

struct ProcessOptions {
  std::map<std::string, std::string> env;  // set, on top of ours ("" value: unset)
  std::optional<uid_t> uid;                // drop to this uid (and gid = uid) first
  int timeout_seconds = 30;
};

// `scratch` is a directory where the captured output is written.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::filesystem::path& scratch, const ProcessOptions& options = {});

}  // namespace nanbyo::testing
