// The IPv4 addresses handed to VPN clients (X-CSTP-Address): one CIDR, without its network,
// broadcast and gateway addresses. Thread-safe; shared by every session of the gateway.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pki/result.h"
#include "policy/net/cidr.h"

namespace nanbyo::vpn {

struct AddressLease {
  net::Ipv4Address address;
  std::uint64_t id = 0;  // tells a holder's lease from a later one for the same address
};

// Leases are keyed by certificate serial. The pool remembers which address a serial had, so a
// PC that reconnects gets the same one back if it is still free (openconnect refuses a
// reconnect that changes its address). A serial holds at most one address: acquiring again
// while it holds one hands the same address to the new holder and makes the earlier lease
// stale, so the old session's late release() cannot free the new session's address. The
// session layer closes the older tunnel of that serial.
class AddressPool {
 public:
  // /16 to /30; `gateway` is skipped when inside the network.
  static Result<std::unique_ptr<AddressPool>> create(const net::Cidr& network,
                                                     net::Ipv4Address gateway);

  // Fails only when every address is leased.
  Result<AddressLease> acquire(std::string_view serial);
  // No-op for a stale or unknown lease.
  void release(const AddressLease& lease);

  struct Token;  // create() only
  AddressPool(const Token&, net::Cidr network, std::vector<std::uint32_t> addresses);

  const net::Cidr& network() const { return network_; }
  net::Ipv4Address netmask() const { return network_.netmask_v4(); }
  std::size_t capacity() const { return slots_.size(); }
  std::size_t leased() const;

 private:
  struct Slot {
    std::uint32_t address = 0;
    std::string holder;  // serial; empty when free
    std::uint64_t lease_id = 0;
    std::string remembered;  // the last serial that held it
  };

  AddressLease grant(std::size_t slot, std::string_view serial);

  const net::Cidr network_;
  mutable std::mutex mutex_;
  std::vector<Slot> slots_;
  std::unordered_map<std::string, std::size_t> by_serial_;  // serial -> its (last) slot
  std::size_t leased_ = 0;
  std::uint64_t next_id_ = 1;
};

}  // namespace nanbyo::vpn
