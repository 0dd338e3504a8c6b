#include "gateway/crl_watcher.h"

#include <sys/inotify.h>
#include <unistd.h>

namespace nanbyo::gw {

CrlWatcher::CrlWatcher(asio::io_context& io, std::function<void()> on_change)
    : descriptor_(io, inotify_init1(IN_NONBLOCK | IN_CLOEXEC)), on_change_(std::move(on_change)) {
  wait();
}

CrlWatcher::~CrlWatcher() {
  beast::error_code ec;
  descriptor_.close(ec);
}

void CrlWatcher::watch(const std::set<std::filesystem::path>& files) {
  for (const auto& [wd, dir] : dirs_) inotify_rm_watch(descriptor_.native_handle(), wd);
  dirs_.clear();
  files_ = files;
  std::set<std::filesystem::path> dirs;
  for (const auto& f : files) dirs.insert(f.parent_path());
  for (const auto& d : dirs) {
    int wd = inotify_add_watch(descriptor_.native_handle(), d.c_str(),
                               IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE);
    if (wd >= 0) dirs_[wd] = d;
  }
}

void CrlWatcher::wait() {
  descriptor_.async_read_some(asio::buffer(buffer_), [this](beast::error_code ec, std::size_t n) {
    if (ec) return;  // closed
    bool changed = false;
    for (std::size_t off = 0; off + sizeof(inotify_event) <= n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer_ + off);
      auto dir = dirs_.find(event->wd);
      if (dir != dirs_.end() && event->len > 0 &&
          files_.count(dir->second / std::string(event->name))) {
        changed = true;
      }
      off += sizeof(inotify_event) + event->len;
    }
    if (changed) on_change_();
    wait();
  });
}

}  // namespace nanbyo::gw
