// Which of a VPN session's packet drops become audit records (S-6, S-7). A full tunnel
// carries all of a PC's IPv4 traffic, so a browser or an updater left running may have
// thousands of packets a minute dropped: a record each would bury the audit log. Per kind of
// drop and destination address, the first drop is recorded at once, then at most one record
// per interval, carrying how many drops it covers. At most `max_destinations` addresses are
// told apart; drops to any further one share one entry per kind (destination "other").
//
// Time is passed in. The session calls due() on its timer and flush() at its end, so every
// drop is counted in exactly one record.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/vpn/packet_policy.h"

namespace nanbyo::vpn {

class DropAuditLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Record {
    Verdict verdict = Verdict::DropMalformed;
    std::string destination;    // the address; "other" past the limit; "unknown" unread
    std::string detail;         // the reason of the last drop it covers
    std::uint64_t dropped = 0;  // drops it covers
  };

  DropAuditLimiter(Clock::duration interval, std::size_t max_destinations)
      : interval_(interval), max_destinations_(max_destinations) {}

  // Counts a drop; returns the record to write now, if one is due.
  std::optional<Record> on_drop(const PacketDecision& decision, Clock::time_point now);

  // Records for the drops counted since an entry's last record once its interval is over;
  // forgets the entries that stayed quiet for an interval (their next drop is told at once).
  std::vector<Record> due(Clock::time_point now);

  // Records for every drop not yet in one (the session ends).
  std::vector<Record> flush();

  std::size_t tracked() const { return entries_.size(); }

 private:
  struct Entry {
    Clock::time_point last_record;
    std::uint64_t pending = 0;  // drops since last_record
    std::string detail;
  };
  using Key = std::pair<Verdict, std::string>;

  static Record take(const Key& key, Entry& entry);

  Clock::duration interval_;
  std::size_t max_destinations_;
  std::size_t destinations_ = 0;  // entries other than the "other" ones
  std::map<Key, Entry> entries_;
};

}  // namespace nanbyo::vpn
