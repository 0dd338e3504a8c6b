// Watches CRL files with inotify: nanbyo-pki replaces crl.pem by rename, so
// the watch is on the directory and fires on IN_MOVED_TO / IN_CLOSE_WRITE of
// the file's name. Runs on the control io_context.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "gateway/asio.h"

namespace nanbyo::gw {

class CrlWatcher {
 public:
  CrlWatcher(asio::io_context& io, std::function<void()> on_change);
  ~CrlWatcher();
  // Replaces the watched set (after a policy reload).
  void watch(const std::set<std::filesystem::path>& files);

 private:
  void wait();

  asio::posix::stream_descriptor descriptor_;
  std::function<void()> on_change_;
  std::map<int, std::filesystem::path> dirs_;  // watch descriptor -> directory
  std::set<std::filesystem::path> files_;
  char buffer_[8192];
};

}  // namespace nanbyo::gw
