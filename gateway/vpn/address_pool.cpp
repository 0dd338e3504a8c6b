#include "gateway/vpn/address_pool.h"

#include <algorithm>

namespace nanbyo::vpn {

struct AddressPool::Token {};

Result<std::unique_ptr<AddressPool>> AddressPool::create(const net::Cidr& network,
                                                         net::Ipv4Address gateway) {
  if (!network.is_v4()) return fail("address pool " + network.to_string() + " is not IPv4");
  if (network.prefix() < 16 || network.prefix() > 30) {
    return fail("address pool " + network.to_string() + " must be between /16 and /30");
  }
  std::uint32_t base = network.network().to_v4().to_uint();
  std::uint32_t broadcast = base | ~network.netmask_v4().to_uint();
  std::vector<std::uint32_t> addresses;
  for (std::uint32_t address = base + 1; address < broadcast; ++address) {
    if (address != gateway.to_uint()) addresses.push_back(address);
  }
  return std::make_unique<AddressPool>(Token{}, network, std::move(addresses));
}

AddressPool::AddressPool(const Token&, net::Cidr network, std::vector<std::uint32_t> addresses)
    : network_(std::move(network)) {
  slots_.reserve(addresses.size());
  for (std::uint32_t address : addresses) slots_.push_back({address, {}, 0, {}});
}

AddressLease AddressPool::grant(std::size_t slot, std::string_view serial) {
  Slot& s = slots_[slot];
  if (s.holder.empty()) ++leased_;
  if (!s.remembered.empty() && s.remembered != serial) by_serial_.erase(s.remembered);
  s.holder = std::string(serial);
  s.remembered = s.holder;
  s.lease_id = next_id_++;
  by_serial_[s.holder] = slot;
  return {net::Ipv4Address(s.address), s.lease_id};
}

Result<AddressLease> AddressPool::acquire(std::string_view serial) {
  std::lock_guard lock(mutex_);
  auto known = by_serial_.find(std::string(serial));
  if (known != by_serial_.end()) {
    const Slot& s = slots_[known->second];
    // Still held by this serial (takeover) or free again: the same address.
    if (s.holder.empty() || s.holder == serial) return grant(known->second, serial);
  }
  // A free address no other serial remembers, so theirs stay available for their return;
  // failing that, the first free one.
  std::size_t fallback = slots_.size();
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i].holder.empty()) continue;
    if (slots_[i].remembered.empty()) return grant(i, serial);
    if (fallback == slots_.size()) fallback = i;
  }
  if (fallback < slots_.size()) return grant(fallback, serial);
  return fail("address pool " + network_.to_string() + " is exhausted (" +
              std::to_string(slots_.size()) + " addresses leased)");
}

void AddressPool::release(const AddressLease& lease) {
  std::lock_guard lock(mutex_);
  // Slots are in address order.
  auto it =
      std::lower_bound(slots_.begin(), slots_.end(), lease.address.to_uint(),
                       [](const Slot& s, std::uint32_t address) { return s.address < address; });
  if (it == slots_.end() || it->address != lease.address.to_uint()) return;
  if (!it->holder.empty() && it->lease_id == lease.id) {
    it->holder.clear();
    --leased_;
  }
}

std::size_t AddressPool::leased() const {
  std::lock_guard lock(mutex_);
  return leased_;
}

}  // namespace nanbyo::vpn
