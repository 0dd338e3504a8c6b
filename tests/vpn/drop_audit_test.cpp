// A session's packet drops reach the audit log rate-limited (issue 15, S-6): the first per
// kind and destination at once, then one record per interval with the count, every drop
// counted once, and a bounded number of destinations told apart.
#include <catch2/catch.hpp>

#include "gateway/vpn/drop_audit.h"

using namespace nanbyo::vpn;
using namespace std::chrono_literals;

namespace {

using Instant = DropAuditLimiter::Clock::time_point;

PacketDecision drop_outside(const char* destination) {
  return {Verdict::DropOutsideService, std::string("tcp to ") + destination,
          nanbyo::net::IpAddress::parse(destination).value()};
}

std::uint64_t dropped_in(const std::vector<DropAuditLimiter::Record>& records) {
  std::uint64_t sum = 0;
  for (const auto& r : records) sum += r.dropped;
  return sum;
}

}  // namespace

TEST_CASE("the first drop to a destination is told at once, the rest once per interval",
          "[drop-audit]") {
  DropAuditLimiter limiter(10s, 8);
  const Instant t0{};
  auto first = limiter.on_drop(drop_outside("203.0.113.7"), t0);
  REQUIRE(first);
  CHECK(first->dropped == 1);
  CHECK(first->destination == "203.0.113.7");
  CHECK(first->verdict == Verdict::DropOutsideService);
  CHECK(first->detail == "tcp to 203.0.113.7");
  for (int i = 0; i < 999; ++i) CHECK_FALSE(limiter.on_drop(drop_outside("203.0.113.7"), t0 + 1s));
  CHECK(limiter.due(t0 + 9s).empty());
  auto later = limiter.due(t0 + 10s);
  REQUIRE(later.size() == 1);
  CHECK(later[0].dropped == 999);
  // A drop after the interval is told at once, with the count since.
  CHECK_FALSE(limiter.on_drop(drop_outside("203.0.113.7"), t0 + 15s));
  auto next = limiter.on_drop(drop_outside("203.0.113.7"), t0 + 20s);
  REQUIRE(next);
  CHECK(next->dropped == 2);
}

TEST_CASE("destinations and kinds are told apart, quiet ones are forgotten", "[drop-audit]") {
  DropAuditLimiter limiter(10s, 8);
  const Instant t0{};
  CHECK(limiter.on_drop(drop_outside("203.0.113.7"), t0));
  CHECK(limiter.on_drop(drop_outside("198.51.100.1"), t0));
  PacketDecision closed_port{Verdict::DropNotAllowed, "tcp to 203.0.113.7 port 22",
                             nanbyo::net::IpAddress::parse("203.0.113.7").value()};
  CHECK(limiter.on_drop(closed_port, t0));
  PacketDecision malformed{Verdict::DropMalformed, "IPv4 header checksum", std::nullopt};
  auto unknown = limiter.on_drop(malformed, t0);
  REQUIRE(unknown);
  CHECK(unknown->destination == "unknown");
  CHECK(limiter.tracked() == 4);
  CHECK(limiter.due(t0 + 10s).empty());  // nothing pending: all forgotten
  CHECK(limiter.tracked() == 0);
  CHECK(limiter.on_drop(drop_outside("203.0.113.7"), t0 + 11s));  // told at once again
}

TEST_CASE("past the destination limit, drops share one entry and every drop is counted",
          "[drop-audit]") {
  DropAuditLimiter limiter(10s, 4);
  const Instant t0{};
  std::vector<DropAuditLimiter::Record> records;
  // A scan of 250 addresses, four times over.
  for (int round = 0; round < 4; ++round) {
    for (int host = 1; host <= 250; ++host) {
      const std::string address = "203.0.113." + std::to_string(host);
      PacketDecision d{Verdict::DropOutsideService, "scan",
                       nanbyo::net::IpAddress::parse(address).value()};
      if (auto r = limiter.on_drop(d, t0 + std::chrono::milliseconds(round))) records.push_back(*r);
    }
  }
  CHECK(records.size() == 5);  // four addresses and "other", each told once
  CHECK(records.back().destination == "other");
  CHECK(limiter.tracked() == 5);
  auto rest = limiter.flush();
  CHECK(dropped_in(records) + dropped_in(rest) == 1000);
  CHECK(limiter.flush().empty());
}
