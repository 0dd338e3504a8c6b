// RevocationBus: revocation is an event, not a reload (CONVENTIONS rule 4).
// It knows every revoked certificate serial (from the CRL file and from live
// revoke calls) and every revoked user; publishing a revocation ends the
// matching live connections at once and tells every subscriber (S-8).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "gateway/connection_registry.h"

namespace nanbyo::gw {

struct RevocationEvent {
  enum class Kind { Certificate, User } kind;
  std::string id;          // serial or user id
  std::string source;      // "crl", "control", ...
  std::size_t closed = 0;  // connections ended
};

class RevocationBus {
 public:
  explicit RevocationBus(ConnectionRegistry& registry) : registry_(registry) {}

  bool certificate_revoked(const std::string& serial) const;
  // A session issued before the user's revocation is refused; a session from
  // a new login (after ID-4 again) is not.
  bool session_revoked(const std::string& user, int64_t session_issued_unix) const;

  // The CRL file changed: `serials` is everything it revokes now.
  std::vector<RevocationEvent> apply_crl(const std::set<std::string>& serials);
  RevocationEvent revoke_certificate(const std::string& serial, const std::string& source);
  RevocationEvent revoke_user(const std::string& user, int64_t now_unix, const std::string& source);

  // Listeners run after connections are closed (audit, VICI, metrics).
  void subscribe(std::function<void(const RevocationEvent&)> listener);

 private:
  RevocationEvent close_certificate(const std::string& serial, const std::string& source);
  void publish(const RevocationEvent& event);

  ConnectionRegistry& registry_;
  mutable std::shared_mutex mutex_;
  std::set<std::string> crl_serials_;
  std::set<std::string> live_serials_;
  std::map<std::string, int64_t> users_;  // user -> revoked at (unix seconds)
  std::mutex listeners_mutex_;
  std::vector<std::function<void(const RevocationEvent&)>> listeners_;
};

}  // namespace nanbyo::gw
