// A ControlApi that answers with canned data and records what it was asked
// (the gateway itself is too big for these tests: the D-Bus front end and
// nanbyoctl are what they prove).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gateway/control_api.h"

namespace nanbyo::testing {

class FakeControlApi final : public gw::ControlApi {
 public:
  struct Call {
    std::string method;  // "disconnect", "revoke_certificate", "revoke_user", "reload", "block",
                         // "lift", "report_failed_login"
    std::string argument;
    std::string requested_by;
  };

  FakeControlApi() {
    connections_ = {
        {7, "192.0.2.10:51234", "public", "https", "0A1B2C3D", "1310000001", "uketsuke-01",
         "doctor-042", 1234, 56789, 12, 192.5, ""},
        {12, "198.51.100.7:40001", "public", "vpn", "FFEE01", "2710000002", "shinsatsu-3", "",
         987654321, 42, 0, 7500.0, "10.255.0.7"},
    };
    statistics_ = {{"connections_open", 2}, {"tls_handshakes_total", 31}, {"revocations_total", 4}};
  }

  // Canned answers, set by a test before it calls.
  void set_connections(std::vector<gw::ConnectionSummary> c) {
    std::lock_guard l(m_);
    connections_ = std::move(c);
  }
  void refuse_reload(std::string message) {
    std::lock_guard l(m_);
    reload_refusal_ = std::move(message);
  }
  std::size_t closed_per_revocation = 2;

  std::vector<Call> calls() const {
    std::lock_guard lock(m_);
    return calls_;
  }

  std::vector<gw::ConnectionSummary> connections() override {
    std::lock_guard lock(m_);
    return connections_;
  }
  bool disconnect(uint64_t id, const std::string& requested_by) override {
    std::lock_guard lock(m_);
    calls_.push_back({"disconnect", std::to_string(id), requested_by});
    for (const auto& c : connections_)
      if (c.id == id) return true;
    return false;
  }
  gw::RevocationEvent revoke_certificate(const std::string& serial,
                                         const std::string& requested_by) override {
    std::lock_guard lock(m_);
    calls_.push_back({"revoke_certificate", serial, requested_by});
    return {gw::RevocationEvent::Kind::Certificate, serial, "control", closed_per_revocation};
  }
  gw::RevocationEvent revoke_user(const std::string& user,
                                  const std::string& requested_by) override {
    std::lock_guard lock(m_);
    calls_.push_back({"revoke_user", user, requested_by});
    return {gw::RevocationEvent::Kind::User, user, "control", closed_per_revocation};
  }
  Result<void> reload(const std::string& requested_by) override {
    std::lock_guard lock(m_);
    calls_.push_back({"reload", "", requested_by});
    if (reload_refusal_) return fail(*reload_refusal_);
    return {};
  }
  std::vector<std::pair<std::string, uint64_t>> statistics() override {
    std::lock_guard lock(m_);
    return statistics_;
  }
  // The IPS: blocks kept as the gateway would keep them; a "bad" value is refused.
  std::vector<gw::ips::Block> blocks() override {
    std::lock_guard lock(m_);
    return blocks_.list(gw::ips::Clock::now());
  }
  Result<std::size_t> block(const gw::ips::Subject& subject, std::chrono::seconds duration,
                            const std::string& reason, const std::string& requested_by) override {
    std::lock_guard lock(m_);
    calls_.push_back({"block", describe(subject), requested_by});
    if (subject.value == "bad") return fail("not a certificate serial: bad");
    blocks_.add({subject, reason, "operator", std::chrono::system_clock::now(),
                 gw::ips::Clock::now() + duration});
    return closed_per_revocation;
  }
  Result<bool> lift(const gw::ips::Subject& subject, const std::string& requested_by) override {
    std::lock_guard lock(m_);
    calls_.push_back({"lift", describe(subject), requested_by});
    return blocks_.lift(subject, gw::ips::Clock::now());
  }
  bool report_failed_login(const std::string& serial, const std::string& source,
                           const std::string& reported_by) override {
    std::lock_guard lock(m_);
    calls_.push_back({"report_failed_login", serial + " " + source, reported_by});
    return serial == "0A1B2C3D";  // the canned terminal crosses the threshold
  }

 private:
  mutable std::mutex m_;
  std::vector<gw::ConnectionSummary> connections_;
  std::vector<std::pair<std::string, uint64_t>> statistics_;
  std::optional<std::string> reload_refusal_;
  std::vector<Call> calls_;
  gw::ips::BlockList blocks_;
};

}  // namespace nanbyo::testing
