#include "gateway/vpn/scan_detector.h"

#include <algorithm>

namespace nanbyo::vpn {
namespace {

constexpr std::uint8_t kTcpAckFlag = 0x10;

// Echo, timestamp and address-mask requests (ICMPv6: echo): what a ping sweep sends. Errors
// and replies answer something and are no probes.
bool icmp_request(const PacketInfo& packet) {
  if (!packet.icmp_type) return false;
  const std::uint8_t type = *packet.icmp_type;
  if (packet.protocol == kProtoIcmp) return type == 8 || type == 13 || type == 17;
  return type == 128;
}

std::size_t index_of(ScanKind kind) {
  return static_cast<std::size_t>(kind);
}

}  // namespace

std::string_view to_string(ScanKind kind) {
  switch (kind) {
    case ScanKind::PortScan:
      return "port-scan";
    case ScanKind::HostScan:
      return "host-scan";
    case ScanKind::Flood:
      return "flood";
  }
  return "unknown";
}

bool is_probe(const PacketInfo& packet) {
  if (!packet.first_fragment) return false;  // its first fragment was the probe
  switch (packet.protocol) {
    case kProtoTcp:
      return (packet.tcp_flags & kTcpAckFlag) == 0;
    case kProtoUdp:
      return true;
    case kProtoIcmp:
    case kProtoIcmpV6:
      return icmp_request(packet);
    default:
      return true;
  }
}

ScanAlerts ScanDetector::probe(const PacketInfo* packet, Clock::time_point now) {
  ScanAlerts out;
  measure_flood(out, now);
  if (packet == nullptr || (limits_.hosts == 0 && limits_.ports_per_host == 0)) return out;
  recheck(out, now);
  unsigned hosts = 0;
  const Slot host = touch_host(packet->destination, now, hosts);
  if (limits_.hosts > 0 && hosts >= limits_.hosts && may_alert(ScanKind::HostScan, now)) {
    alert(out, {ScanKind::HostScan, hosts, limits_.hosts, packet->destination}, now);
  }
  if (limits_.ports_per_host == 0 || !packet->destination_port) return out;
  const unsigned ports = touch_port(host, packet->protocol, *packet->destination_port, now);
  if (ports >= limits_.ports_per_host && may_alert(ScanKind::PortScan, now)) {
    alert(out, {ScanKind::PortScan, ports, limits_.ports_per_host, packet->destination}, now);
  }
  return out;
}

bool ScanDetector::may_alert(ScanKind kind, Clock::time_point now) const {
  const auto& last = alerted_[index_of(kind)];
  return !last || now - *last >= limits_.window;
}

void ScanDetector::alert(ScanAlerts& out, const ScanAlert& alert, Clock::time_point now) {
  alerted_[index_of(alert.kind)] = now;
  recheck_[index_of(alert.kind)] = true;
  out.add(alert);
}

// One pass over a table: the live entry `same` accepts, or else the slot a new entry takes (a
// free or expired one, else the least recently probed), and how many live entries `counted`
// accepts (complete only when the entry is not found).
template <typename Table, typename Same, typename Counted>
ScanDetector::TableSlot ScanDetector::find_or_claim(const Table& table, Clock::time_point now,
                                                    Same same, Counted counted) const {
  const std::size_t none = table.size();
  TableSlot out{none, false, false, 0};
  std::size_t oldest = none;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& entry = table[i];
    if (!entry.used || !live(entry.last, now)) {
      if (out.index == none) out.index = i;
      continue;
    }
    if (same(entry)) return {i, true, false, out.counted};
    if (counted(entry)) ++out.counted;
    if (oldest == none || entry.last < table[oldest].last) oldest = i;
  }
  if (out.index == none) {
    out.index = oldest;
    out.evicted = true;
  }
  return out;
}

ScanDetector::Slot ScanDetector::touch_host(const net::IpAddress& address, Clock::time_point now,
                                            unsigned& new_count) {
  new_count = 0;
  Host& recent = hosts_[last_host_];
  if (recent.used && live(recent.last, now) && recent.address == address) {
    recent.last = now;
    return last_host_;
  }
  TableSlot found = find_or_claim(
      hosts_, now, [&](const Host& h) { return h.address == address; },
      [](const Host&) { return true; });
  last_host_ = static_cast<Slot>(found.index);
  if (found.found) {
    hosts_[found.index].last = now;
    return last_host_;
  }
  if (found.evicted) {  // the host probed longest ago goes, with its ports
    forget_ports_of(last_host_);
    --found.counted;
  }
  hosts_[found.index] = Host{now, address, true};
  new_count = found.counted + 1;
  return last_host_;
}

unsigned ScanDetector::touch_port(Slot host, std::uint8_t protocol, std::uint16_t port,
                                  Clock::time_point now) {
  const auto same = [&](const Port& p) {
    return p.host == host && p.port == port && p.protocol == protocol;
  };
  Port& recent = ports_[last_port_];
  if (recent.used && live(recent.last, now) && same(recent)) {
    recent.last = now;
    return 0;
  }
  TableSlot found =
      find_or_claim(ports_, now, same, [host](const Port& p) { return p.host == host; });
  last_port_ = found.index;
  if (found.found) {
    ports_[found.index].last = now;
    return 0;
  }
  if (found.evicted && ports_[found.index].host == host) --found.counted;
  ports_[found.index] = Port{now, port, protocol, host, true};
  return found.counted + 1;
}

void ScanDetector::forget_ports_of(Slot host) {
  for (Port& p : ports_) {
    if (p.host == host) p.used = false;
  }
}

// A count only grows when a new host or port comes, and those are checked as they come; but
// a scan that alerted and then keeps probing the same hosts and ports adds nothing new. So
// once per quiet window after an alert, the tables are counted again.
void ScanDetector::recheck(ScanAlerts& out, Clock::time_point now) {
  const std::size_t host_scan = index_of(ScanKind::HostScan);
  if (recheck_[host_scan] && may_alert(ScanKind::HostScan, now)) {
    recheck_[host_scan] = false;
    const auto hosts = static_cast<unsigned>(hosts_tracked(now));
    if (hosts >= limits_.hosts) alert(out, {ScanKind::HostScan, hosts, limits_.hosts, {}}, now);
  }
  const std::size_t port_scan = index_of(ScanKind::PortScan);
  if (recheck_[port_scan] && may_alert(ScanKind::PortScan, now)) {
    recheck_[port_scan] = false;
    std::array<unsigned, kMaxHosts> per_host{};
    for (const Port& p : ports_) {
      if (p.used && live(p.last, now)) ++per_host[p.host];
    }
    const auto most = std::max_element(per_host.begin(), per_host.end());
    if (*most >= limits_.ports_per_host) {
      const Host& target = hosts_[static_cast<std::size_t>(most - per_host.begin())];
      alert(out, {ScanKind::PortScan, *most, limits_.ports_per_host, target.address}, now);
    }
  }
}

void ScanDetector::measure_flood(ScanAlerts& out, Clock::time_point now) {
  const unsigned rate = limits_.probes_per_second;
  if (rate == 0) return;
  using std::chrono::seconds;
  if (now - second_start_ >= seconds(1)) {
    last_second_ = now - second_start_ < seconds(2) ? this_second_ : 0;
    this_second_ = 0;
    second_start_ = now;
  }
  ++this_second_;
  const Clock::duration interval = Clock::duration(seconds(1)) / rate;
  const unsigned burst = limits_.probe_burst > 0 ? limits_.probe_burst : rate;
  const Clock::time_point arrival = std::max(theoretical_arrival_.value_or(now), now) + interval;
  if (arrival - now <= interval * burst) {
    theoretical_arrival_ = arrival;
    return;
  }
  if (may_alert(ScanKind::Flood, now)) {
    alert(out, {ScanKind::Flood, std::max(this_second_, last_second_), rate, {}}, now);
  }
}

std::size_t ScanDetector::hosts_tracked(Clock::time_point now) const {
  return static_cast<std::size_t>(std::count_if(
      hosts_.begin(), hosts_.end(), [&](const Host& h) { return h.used && live(h.last, now); }));
}

std::size_t ScanDetector::ports_tracked(Clock::time_point now) const {
  return static_cast<std::size_t>(std::count_if(
      ports_.begin(), ports_.end(), [&](const Port& p) { return p.used && live(p.last, now); }));
}

}  // namespace nanbyo::vpn
