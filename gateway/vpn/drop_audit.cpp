#include "gateway/vpn/drop_audit.h"

namespace nanbyo::vpn {

constexpr const char* kOtherDestinations = "other";

DropAuditLimiter::Record DropAuditLimiter::take(const Key& key, Entry& entry) {
  Record record{key.first, key.second, std::move(entry.detail), entry.pending};
  entry.pending = 0;
  entry.detail.clear();
  return record;
}

std::optional<DropAuditLimiter::Record> DropAuditLimiter::on_drop(const PacketDecision& decision,
                                                                  Clock::time_point now) {
  Key key{decision.verdict, decision.destination ? decision.destination->to_string() : "unknown"};
  auto found = entries_.find(key);
  if (found == entries_.end() && destinations_ >= max_destinations_) {
    key.second = kOtherDestinations;
    found = entries_.find(key);
  }
  if (found == entries_.end()) {
    if (key.second != kOtherDestinations) ++destinations_;
    found = entries_.emplace(key, Entry{now, 0, {}}).first;
    found->second.pending = 1;
    found->second.detail = decision.reason;
    return take(found->first, found->second);  // the first drop: told at once
  }
  Entry& entry = found->second;
  ++entry.pending;
  entry.detail = decision.reason;
  if (now - entry.last_record < interval_) return std::nullopt;
  entry.last_record = now;
  return take(found->first, entry);
}

std::vector<DropAuditLimiter::Record> DropAuditLimiter::due(Clock::time_point now) {
  std::vector<Record> out;
  for (auto it = entries_.begin(); it != entries_.end();) {
    Entry& entry = it->second;
    if (now - entry.last_record < interval_) {
      ++it;
    } else if (entry.pending > 0) {
      entry.last_record = now;
      out.push_back(take(it->first, entry));
      ++it;
    } else {
      if (it->first.second != kOtherDestinations) --destinations_;
      it = entries_.erase(it);
    }
  }
  return out;
}

std::vector<DropAuditLimiter::Record> DropAuditLimiter::flush() {
  std::vector<Record> out;
  for (auto& [key, entry] : entries_) {
    if (entry.pending > 0) out.push_back(take(key, entry));
  }
  return out;
}

}  // namespace nanbyo::vpn
