// An IKE SA of charon as the connection registry sees it (S-10): listed by `nanbyoctl
// connections` next to TLS connections and tunnels; closing it (disconnect, revocation, IPS
// block) asks charon to terminate it by its IKE SA id.
#pragma once

#include <functional>
#include <string>

#include "gateway/connection_registry.h"

namespace nanbyo::ipsec {

class IpsecSa final : public gw::LiveConnection {
 public:
  using Terminate = std::function<void(const std::string& ike_id, const std::string& reason)>;
  IpsecSa(std::string ike_id, Terminate terminate)
      : ike_id_(std::move(ike_id)), terminate_(std::move(terminate)) {}

  void close(const std::string& reason) override { terminate_(ike_id_, reason); }
  std::string kind() const override { return "ipsec"; }
  const std::string& ike_id() const { return ike_id_; }

 private:
  std::string ike_id_;
  Terminate terminate_;
};

}  // namespace nanbyo::ipsec
