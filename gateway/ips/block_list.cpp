#include "gateway/ips/block_list.h"

namespace nanbyo::gw::ips {

long long seconds_left(const Block& block, Clock::time_point now) {
  const auto left = std::chrono::ceil<std::chrono::seconds>(block.until - now);
  return left.count() > 0 ? left.count() : 0;
}

bool BlockList::add(Block block) {
  std::lock_guard lock(mutex_);
  drop_expired(Clock::now());
  auto [at, inserted] = blocks_.insert_or_assign(block.subject, std::move(block));
  return inserted;
}

bool BlockList::lift(const Subject& subject, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto at = blocks_.find(subject);
  if (at == blocks_.end()) return false;
  const bool in_force = at->second.until > now;
  blocks_.erase(at);
  return in_force;
}

std::optional<Block> BlockList::find(const Subject& subject, Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  if (blocks_.empty()) return std::nullopt;  // the common case costs no lookup
  auto at = blocks_.find(subject);
  if (at == blocks_.end() || at->second.until <= now) return std::nullopt;
  return at->second;
}

std::vector<Block> BlockList::list(Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  std::vector<Block> out;
  for (const auto& [subject, block] : blocks_) {
    if (block.until > now) out.push_back(block);
  }
  return out;
}

// Under the lock: blocks that ended by themselves leave the map when the next one comes.
void BlockList::drop_expired(Clock::time_point now) {
  std::erase_if(blocks_, [now](const auto& entry) { return entry.second.until <= now; });
}

}  // namespace nanbyo::gw::ips
