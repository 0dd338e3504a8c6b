// Packet-level detection in a VPN tunnel (S-3 on the tunnel side, issue 15): port scans, host
// scans and floods among the packets one session's client sends, whatever the packet policy
// made of them. It looks only at *probes*, the packets a scan or a flood is made of and a
// working PC sends few of: TCP segments without ACK (SYN, and the NULL, FIN and Xmas scans),
// UDP datagrams, ICMP echo, timestamp and address-mask requests, other IP protocols, and
// packets that cannot be read. The segments of established TCP connections, all a bulk upload
// is made of, pass with one test of their flags. Within a sliding window it counts
// - distinct TCP/UDP destination ports on one host (port scan),
// - distinct destination hosts (host scan),
// and measures probes per second against a rate with a burst (flood). Each kind alerts at
// most once per window; a scan that goes on alerts again in the next window.
//
// Time is passed in. Memory is fixed (ScanDetector is a plain value, about 8 KiB); the tables
// hold kMaxHosts hosts and kMaxPorts ports: past that the least recently probed go, which only
// ever lowers a count. No allocation per packet.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "gateway/vpn/ip_packet.h"

namespace nanbyo::vpn {

// 0 turns a detection off; a default-constructed ScanLimits detects nothing (the policy's
// ips.tunnel section holds the defaults).
struct ScanLimits {
  std::chrono::seconds window{60};
  unsigned ports_per_host = 0;  // distinct destination ports on one host, at most kMaxPorts
  unsigned hosts = 0;           // distinct destination hosts, at most kMaxHosts
  unsigned probes_per_second = 0;
  unsigned probe_burst = 0;  // probes beyond the rate before it is a flood; 0: one second's worth

  bool any() const { return ports_per_host > 0 || hosts > 0 || probes_per_second > 0; }
};

enum class ScanKind { PortScan, HostScan, Flood };
inline constexpr std::size_t kScanKinds = 3;
std::string_view to_string(ScanKind kind);  // "port-scan" | "host-scan" | "flood"

struct ScanAlert {
  ScanKind kind = ScanKind::PortScan;
  // Port scan: distinct ports on `target`; host scan: distinct hosts; flood: the probes of the
  // current or the last second, whichever is more.
  unsigned count = 0;
  unsigned threshold = 0;                // the limit it reached (flood: the rate per second)
  std::optional<net::IpAddress> target;  // port scan: the host scanned; host scan: the last one
};

// The alerts of one packet: none in the common case, at most one per kind.
class ScanAlerts {
 public:
  const ScanAlert* begin() const { return alerts_.data(); }
  const ScanAlert* end() const { return alerts_.data() + size_; }
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  void add(const ScanAlert& alert) {
    if (size_ < alerts_.size()) alerts_[size_++] = alert;
  }

 private:
  std::array<ScanAlert, kScanKinds> alerts_{};
  std::size_t size_ = 0;
};

// Whether the detector looks at `packet` further than its flags.
bool is_probe(const PacketInfo& packet);

class ScanDetector {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kMaxHosts = 128;
  static constexpr std::size_t kMaxPorts = 256;

  explicit ScanDetector(const ScanLimits& limits) : limits_(limits) {}

  // One packet from the client, allowed or dropped.
  ScanAlerts observe(const PacketInfo& packet, Clock::time_point now) {
    return is_probe(packet) ? probe(&packet, now) : ScanAlerts{};
  }
  // One that could not be read: a probe for the flood measure only.
  ScanAlerts observe_unreadable(Clock::time_point now) { return probe(nullptr, now); }

  // Hosts and ports probed within the window (tests: the tables stay bounded).
  std::size_t hosts_tracked(Clock::time_point now) const;
  std::size_t ports_tracked(Clock::time_point now) const;

 private:
  struct Host {
    Clock::time_point last;
    net::IpAddress address;
    bool used = false;
  };
  struct Port {
    Clock::time_point last;
    std::uint16_t port = 0;
    std::uint8_t protocol = 0;
    std::uint8_t host = 0;  // index in hosts_
    bool used = false;
  };
  using Slot = std::uint8_t;
  struct TableSlot {
    std::size_t index = 0;
    bool found = false;    // `index` holds the entry looked for
    bool evicted = false;  // `index` holds a live entry that must make room
    unsigned counted = 0;
  };
  static_assert(kMaxHosts <= 256, "a port entry names its host in one byte");

  bool live(Clock::time_point last, Clock::time_point now) const {
    return now - last < limits_.window;
  }
  ScanAlerts probe(const PacketInfo* packet, Clock::time_point now);
  bool may_alert(ScanKind kind, Clock::time_point now) const;
  void alert(ScanAlerts& out, const ScanAlert& alert, Clock::time_point now);
  // The host's slot, and the distinct hosts within the window when it is new (else 0).
  Slot touch_host(const net::IpAddress& address, Clock::time_point now, unsigned& new_count);
  // The distinct ports on `host` within the window when the port is new for it (else 0).
  unsigned touch_port(Slot host, std::uint8_t protocol, std::uint16_t port, Clock::time_point now);
  template <typename Table, typename Same, typename Counted>
  TableSlot find_or_claim(const Table& table, Clock::time_point now, Same same,
                          Counted counted) const;
  void forget_ports_of(Slot host);
  // After a kind's quiet window: whether a scan that only revisits what it probed before is
  // still over the threshold (new hosts and ports are checked as they come).
  void recheck(ScanAlerts& out, Clock::time_point now);
  void measure_flood(ScanAlerts& out, Clock::time_point now);

  ScanLimits limits_;
  std::array<Host, kMaxHosts> hosts_{};
  std::array<Port, kMaxPorts> ports_{};
  Slot last_host_ = 0;  // the slot probed last: most probes go where the one before went
  std::size_t last_port_ = 0;
  std::array<std::optional<Clock::time_point>, kScanKinds> alerted_{};
  std::array<bool, kScanKinds> recheck_{};
  // Flood: the generic cell rate algorithm (a token bucket kept as one instant).
  std::optional<Clock::time_point> theoretical_arrival_;
  Clock::time_point second_start_;
  unsigned this_second_ = 0, last_second_ = 0;
};

}  // namespace nanbyo::vpn
