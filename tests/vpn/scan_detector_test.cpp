// Packet-level detection in a tunnel (issue 15): port scans, host scans and floods alert once
// their counts reach the thresholds, at most once per kind and window; what a working PC sends
// (a browser's many connections to the one service, DNS, a bulk upload) stays quiet; the
// tables stay bounded whatever a scan does.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "gateway/vpn/scan_detector.h"
#include "packet_builder.h"

using namespace nanbyo::vpn;
using namespace std::chrono_literals;
namespace pkt = nanbyo::vpn::testing;

namespace {

using Instant = ScanDetector::Clock::time_point;

constexpr std::uint8_t kSyn = 0x02, kAck = 0x10, kFin = 0x01;

PacketInfo tcp_to(const std::string& destination, std::uint16_t port, std::uint8_t flags = kSyn) {
  pkt::Bytes segment = pkt::tcp(49152, port);
  segment[13] = flags;
  return inspect_packet(pkt::ipv4({.destination = destination}, segment)).value();
}

PacketInfo udp_to(const std::string& destination, std::uint16_t port) {
  return inspect_packet(
             pkt::ipv4({.destination = destination, .protocol = kProtoUdp}, pkt::udp(53000, port)))
      .value();
}

PacketInfo icmp_to(const std::string& destination, std::uint8_t type) {
  return inspect_packet(
             pkt::ipv4({.destination = destination, .protocol = kProtoIcmp}, pkt::icmp(type)))
      .value();
}

std::string host(int i) {
  return "10.10." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
}

ScanLimits ports_only(unsigned ports) {
  ScanLimits limits;
  limits.window = 60s;
  limits.ports_per_host = ports;
  return limits;
}

ScanLimits flood_only(unsigned rate, unsigned burst) {
  ScanLimits limits;
  limits.probes_per_second = rate;
  limits.probe_burst = burst;
  return limits;
}

// What the policy's defaults are (policy/policy.h, ips.tunnel).
ScanLimits defaults() {
  return {60s, 24, 64, 200, 1000};
}

std::vector<ScanAlert> all(const ScanAlerts& alerts) {
  return {alerts.begin(), alerts.end()};
}

}  // namespace

TEST_CASE("probes are the packets scans and floods are made of", "[scan-detector]") {
  CHECK(is_probe(tcp_to("10.10.0.10", 22, kSyn)));
  CHECK(is_probe(tcp_to("10.10.0.10", 22, kFin)));  // a FIN scan
  CHECK(is_probe(tcp_to("10.10.0.10", 22, 0)));     // a NULL scan
  CHECK_FALSE(is_probe(tcp_to("10.10.0.10", 443, kAck)));
  CHECK_FALSE(is_probe(tcp_to("10.10.0.10", 443, kSyn | kAck)));
  CHECK(is_probe(udp_to("10.10.0.53", 53)));
  CHECK(is_probe(icmp_to("10.10.0.10", 8)));        // echo request
  CHECK_FALSE(is_probe(icmp_to("10.10.0.10", 0)));  // echo reply
  CHECK_FALSE(is_probe(icmp_to("10.10.0.10", 3)));  // unreachable
  auto later_fragment = inspect_packet(pkt::ipv4(
      {.destination = "10.10.0.10", .protocol = kProtoUdp, .fragment = 0x0004}, pkt::Bytes(16)));
  REQUIRE(later_fragment);
  CHECK_FALSE(is_probe(*later_fragment));
  CHECK(to_string(ScanKind::PortScan) == "port-scan");
  CHECK(to_string(ScanKind::HostScan) == "host-scan");
  CHECK(to_string(ScanKind::Flood) == "flood");
}

TEST_CASE("a port scan alerts at the threshold, then once per window", "[scan-detector]") {
  ScanDetector detector(ports_only(20));
  const Instant t0{};
  for (std::uint16_t port = 1; port < 20; ++port) {
    CHECK(detector.observe(tcp_to("10.10.0.10", port), t0 + 10ms * port).empty());
  }
  auto alerts = all(detector.observe(tcp_to("10.10.0.10", 20), t0 + 1s));
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].kind == ScanKind::PortScan);
  CHECK(alerts[0].count == 20);
  CHECK(alerts[0].threshold == 20);
  CHECK(alerts[0].target->to_string() == "10.10.0.10");
  for (std::uint16_t port = 21; port <= 200; ++port) {
    CHECK(detector.observe(tcp_to("10.10.0.10", port), t0 + 2s).empty());
  }
  // The scan goes on into the next window: a second alert.
  alerts = all(detector.observe(tcp_to("10.10.0.10", 201), t0 + 61s));
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].kind == ScanKind::PortScan);
  CHECK(alerts[0].count >= 20);
}

TEST_CASE("UDP ports count too, apart from TCP's", "[scan-detector]") {
  ScanDetector detector(ports_only(10));
  const Instant t0{};
  for (std::uint16_t port = 1; port <= 5; ++port) {
    CHECK(detector.observe(tcp_to("10.10.0.10", port), t0).empty());
    const auto alerts = detector.observe(udp_to("10.10.0.10", port), t0);
    CHECK(alerts.size() == (port == 5 ? 1u : 0u));
  }
}

TEST_CASE("a scan that keeps probing the same ports alerts again in the next window",
          "[scan-detector]") {
  ScanDetector detector(ports_only(20));
  const Instant t0{};
  std::size_t alerts = 0;
  for (int round = 0; round < 5; ++round) {  // every 20 s, the same 30 ports
    for (std::uint16_t port = 1; port <= 30; ++port) {
      alerts += detector.observe(tcp_to("10.10.0.10", port), t0 + 20s * round).size();
    }
  }
  CHECK(alerts == 2);  // at 0 s and at 60 s
}

TEST_CASE("ports outside the window are forgotten", "[scan-detector]") {
  ScanDetector detector(ports_only(20));
  const Instant t0{};
  for (std::uint16_t port = 1; port <= 19; ++port) {
    CHECK(detector.observe(tcp_to("10.10.0.10", port), t0).empty());
  }
  for (std::uint16_t port = 100; port <= 118; ++port) {
    CHECK(detector.observe(tcp_to("10.10.0.10", port), t0 + 60s).empty());
  }
  CHECK(detector.ports_tracked(t0 + 60s) == 19);
  // Ports spread over hosts are no port scan.
  for (int i = 250; i < 350; ++i) CHECK(detector.observe(tcp_to(host(i), 22), t0 + 61s).empty());
}

TEST_CASE("a host scan alerts at the threshold, ping sweeps count", "[scan-detector]") {
  ScanLimits limits;
  limits.hosts = 16;
  ScanDetector detector(limits);
  const Instant t0{};
  for (int i = 0; i < 15; ++i) {
    CHECK(detector.observe(icmp_to(host(i), 8), t0).empty());
    CHECK(detector.observe(icmp_to(host(100 + i), 0), t0).empty());  // replies: no probes
  }
  auto alerts = all(detector.observe(tcp_to(host(15), 445), t0 + 1s));
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].kind == ScanKind::HostScan);
  CHECK(alerts[0].count == 16);
  CHECK(alerts[0].threshold == 16);
  for (int i = 16; i < 200; ++i) CHECK(detector.observe(udp_to(host(i), 161), t0 + 2s).empty());
  CHECK(detector.hosts_tracked(t0 + 2s) == ScanDetector::kMaxHosts);
  alerts = all(detector.observe(udp_to(host(300), 161), t0 + 61s));
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].kind == ScanKind::HostScan);
}

TEST_CASE("a flood is probes beyond the rate and its burst", "[scan-detector]") {
  ScanDetector detector(flood_only(100, 200));
  const Instant t0{};
  for (int i = 0; i < 200; ++i) CHECK(detector.observe(tcp_to("10.10.0.10", 443), t0).empty());
  auto alerts = all(detector.observe(tcp_to("10.10.0.10", 443), t0));
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].kind == ScanKind::Flood);
  CHECK(alerts[0].count == 201);
  CHECK(alerts[0].threshold == 100);
  std::size_t more = 0;
  for (int i = 0; i < 10'000; ++i) more += detector.observe_unreadable(t0 + 1ms * (i / 200)).size();
  CHECK(more == 0);                                      // one alert per window
  CHECK(detector.observe_unreadable(t0 + 60s).empty());  // the bucket has refilled meanwhile
  for (int i = 0; i < 300; ++i) more += detector.observe_unreadable(t0 + 61s).size();
  CHECK(more == 1);
}

TEST_CASE("probes at the rate never flood, established TCP is not counted", "[scan-detector]") {
  ScanDetector detector(flood_only(100, 100));
  const Instant t0{};
  for (int i = 0; i < 100 * 120; ++i) {  // two minutes at 100 probes a second
    CHECK(detector.observe(udp_to("10.10.0.53", 53), t0 + 10ms * i).empty());
  }
  const auto segment = tcp_to("10.10.0.10", 443, kAck);
  for (int i = 0; i < 1'000'000; ++i) {  // a bulk upload, all at once
    if (!detector.observe(segment, t0 + 121s).empty()) FAIL("the upload raised an alert");
  }
}

TEST_CASE("a working PC's traffic stays quiet under the default thresholds", "[scan-detector]") {
  ScanDetector detector(defaults());
  const Instant t0{};
  std::size_t alerts = 0;
  const auto see = [&](const PacketInfo& p, Instant at) {
    alerts += detector.observe(p, at).size();
  };
  // A browser opening 120 connections at once to the one service, over an hour of work:
  // every 10 s a page with a few DNS queries, a dozen connections to ports 443 and 80, and
  // their data; a handful of other hosts (NTP, the DNS servers, a printer) now and then.
  for (int burst = 0; burst < 120; ++burst) see(tcp_to("10.10.0.10", 443), t0);
  for (int page = 0; page < 360; ++page) {
    const Instant at = t0 + 10s * page;
    for (int q = 0; q < 4; ++q) see(udp_to(q % 2 ? "10.10.0.53" : "10.10.0.54", 53), at);
    for (int c = 0; c < 12; ++c) see(tcp_to("10.10.0.10", c % 3 ? 443 : 80), at + 50ms);
    for (int d = 0; d < 400; ++d) see(tcp_to("10.10.0.10", 443, kAck), at + 60ms);
    if (page % 6 == 0) {
      see(udp_to("10.10.0.123", 123), at);
      see(icmp_to("10.10.0.1", 8), at);
      see(tcp_to("10.10.1.20", 631), at);
      see(tcp_to("10.10.1.20", 9100), at);
    }
  }
  CHECK(alerts == 0);
}

TEST_CASE("memory is fixed: the tables stay bounded and eviction never makes an alert",
          "[scan-detector]") {
  CHECK(sizeof(ScanDetector) <= 10 * 1024);
  ScanLimits limits;
  limits.ports_per_host = 256;
  limits.hosts = 0;
  ScanDetector detector(limits);
  const Instant t0{};
  std::size_t alerts = 0;
  for (int i = 0; i < 20'000; ++i) {  // 5000 hosts, four ports each
    alerts += detector
                  .observe(tcp_to(host(i / 4 % 5000), static_cast<std::uint16_t>(i % 4 + 1)),
                           t0 + 1ms * i)
                  .size();
  }
  CHECK(alerts == 0);
  CHECK(detector.hosts_tracked(t0 + 20s) <= ScanDetector::kMaxHosts);
  CHECK(detector.ports_tracked(t0 + 20s) <= ScanDetector::kMaxPorts);
  // And a real scan of one host is still seen among them.
  for (std::uint16_t port = 1; port <= 256; ++port) {
    alerts += detector.observe(tcp_to("10.20.0.1", port), t0 + 21s).size();
  }
  CHECK(alerts == 1);
}

TEST_CASE("unreadable packets count for the flood only, no limits, no alerts", "[scan-detector]") {
  ScanLimits limits = defaults();
  limits.probes_per_second = 10;
  limits.probe_burst = 10;
  ScanDetector detector(limits);
  const Instant t0{};
  std::size_t alerts = 0;
  for (int i = 0; i < 11; ++i) alerts += detector.observe_unreadable(t0).size();
  CHECK(alerts == 1);
  CHECK(detector.hosts_tracked(t0) == 0);
  ScanDetector off{ScanLimits{}};
  for (std::uint16_t port = 1; port < 2000; ++port) {
    CHECK(off.observe(tcp_to(host(port), port), t0).empty());
  }
}
