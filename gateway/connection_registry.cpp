#include "gateway/connection_registry.h"

namespace nanbyo::gw {

std::string LiveConnection::user() const {
  std::lock_guard lock(user_mutex_);
  return user_;
}

void LiveConnection::set_user(const std::string& user) {
  std::lock_guard lock(user_mutex_);
  user_ = user;
}

std::string LiveConnection::kind() const {
  std::lock_guard lock(user_mutex_);
  return tunnel_address_.empty() ? "https" : "vpn";
}

std::string LiveConnection::tunnel_address() const {
  std::lock_guard lock(user_mutex_);
  return tunnel_address_;
}

void LiveConnection::set_tunnel_address(const std::string& address) {
  std::lock_guard lock(user_mutex_);
  tunnel_address_ = address;
}

uint64_t ConnectionRegistry::add(const std::shared_ptr<LiveConnection>& connection) {
  std::lock_guard lock(mutex_);
  connection->id = next_id_++;
  connections_[connection->id] = connection;
  return connection->id;
}

void ConnectionRegistry::remove(uint64_t id) {
  std::lock_guard lock(mutex_);
  connections_.erase(id);
}

std::size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

std::vector<ConnectionSummary> ConnectionRegistry::list() const {
  std::vector<std::shared_ptr<LiveConnection>> live;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, weak] : connections_) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  const auto now = std::chrono::steady_clock::now();
  std::vector<ConnectionSummary> out;
  for (const auto& c : live) {
    out.push_back({c->id, c->peer, c->listener, c->kind(), c->identity.serial, c->identity.hospital,
                   c->identity.terminal, c->user(), c->bytes_in.load(), c->bytes_out.load(),
                   c->requests.load(), std::chrono::duration<double>(now - c->started).count(),
                   c->tunnel_address()});
  }
  return out;
}

std::size_t ConnectionRegistry::close_where(const std::function<bool(const LiveConnection&)>& match,
                                            const std::string& reason) {
  std::vector<std::shared_ptr<LiveConnection>> chosen;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, weak] : connections_) {
      if (auto c = weak.lock(); c && match(*c)) chosen.push_back(std::move(c));
    }
  }
  for (const auto& c : chosen) c->close(reason);  // outside the lock: close() posts
  return chosen.size();
}

}  // namespace nanbyo::gw
