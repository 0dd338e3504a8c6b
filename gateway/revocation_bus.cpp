#include "gateway/revocation_bus.h"

namespace nanbyo::gw {

bool RevocationBus::certificate_revoked(const std::string& serial) const {
  std::shared_lock lock(mutex_);
  return crl_serials_.count(serial) || live_serials_.count(serial);
}

bool RevocationBus::session_revoked(const std::string& user, int64_t session_issued_unix) const {
  std::shared_lock lock(mutex_);
  auto it = users_.find(user);
  return it != users_.end() && session_issued_unix <= it->second;
}

std::vector<RevocationEvent> RevocationBus::apply_crl(const std::set<std::string>& serials) {
  std::vector<std::string> added;
  {
    std::unique_lock lock(mutex_);
    for (const auto& s : serials) {
      if (!crl_serials_.count(s) && !live_serials_.count(s)) added.push_back(s);
    }
    crl_serials_ = serials;
  }
  std::vector<RevocationEvent> events;
  for (const auto& s : added) events.push_back(close_certificate(s, "crl"));
  return events;
}

RevocationEvent RevocationBus::revoke_certificate(const std::string& serial,
                                                  const std::string& source) {
  {
    std::unique_lock lock(mutex_);
    live_serials_.insert(serial);
  }
  return close_certificate(serial, source);
}

RevocationEvent RevocationBus::close_certificate(const std::string& serial,
                                                 const std::string& source) {
  RevocationEvent event{RevocationEvent::Kind::Certificate, serial, source, 0};
  event.closed = registry_.close_where(
      [&](const LiveConnection& c) {
        return c.identity.serial == serial || c.identity.issuer_serial == serial;
      },
      "certificate " + serial + " revoked (" + source + ")");
  publish(event);
  return event;
}

RevocationEvent RevocationBus::revoke_user(const std::string& user, int64_t now_unix,
                                           const std::string& source) {
  {
    std::unique_lock lock(mutex_);
    users_[user] = now_unix;
  }
  RevocationEvent event{RevocationEvent::Kind::User, user, source, 0};
  event.closed = registry_.close_where([&](const LiveConnection& c) { return c.user() == user; },
                                       "user " + user + " revoked (" + source + ")");
  publish(event);
  return event;
}

void RevocationBus::subscribe(std::function<void(const RevocationEvent&)> listener) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.push_back(std::move(listener));
}

void RevocationBus::publish(const RevocationEvent& event) {
  std::lock_guard lock(listeners_mutex_);
  for (const auto& l : listeners_) l(event);
}

}  // namespace nanbyo::gw
