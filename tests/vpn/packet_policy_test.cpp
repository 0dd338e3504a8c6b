// The packet policy drops malformed and spoofed packets and allows only the listed service
// networks, protocols and ports.
#include <catch2/catch.hpp>

#include "gateway/vpn/packet_policy.h"
#include "packet_builder.h"

using namespace nanbyo::vpn;
using namespace nanbyo::vpn::testing;

namespace {

nanbyo::net::Cidr cidr(const char* text) {
  auto parsed = nanbyo::net::Cidr::parse(text);
  REQUIRE(parsed.ok());
  return *parsed;
}

PacketPolicy hospital_policy() {
  std::vector<AllowRule> rules;
  rules.push_back({cidr("192.0.2.0/28"), kProtoTcp, {{443, 443}, {8000, 8099}}});  // appcore
  rules.push_back({cidr("192.0.2.53/32"), kProtoUdp, {{53, 53}}});                 // DNS
  rules.push_back({cidr("192.0.2.0/24"), kProtoIcmp, {}});                         // ping
  auto policy = PacketPolicy::create(std::move(rules));
  REQUIRE(policy.ok());
  return std::move(policy).value();
}

const nanbyo::net::IpAddress kAssigned = *nanbyo::net::IpAddress::parse("10.255.0.2");

}  // namespace

TEST_CASE("allowed destinations, protocols and ports pass", "[policy]") {
  auto policy = hospital_policy();
  auto https = policy.evaluate(ipv4({.destination = "192.0.2.10"}, tcp(40000, 443)), kAssigned);
  CHECK(https.verdict == Verdict::Allow);
  CHECK(https.reason.empty());
  CHECK(policy.evaluate(ipv4({.destination = "192.0.2.15"}, tcp(1, 8099)), kAssigned).verdict ==
        Verdict::Allow);
  CHECK(policy
            .evaluate(ipv4({.destination = "192.0.2.53", .protocol = kProtoUdp}, udp(1, 53)),
                      kAssigned)
            .verdict == Verdict::Allow);
  CHECK(policy
            .evaluate(ipv4({.destination = "192.0.2.200", .protocol = kProtoIcmp}, icmp(8)),
                      kAssigned)
            .verdict == Verdict::Allow);
}

TEST_CASE("other ports, protocols and networks are not allowed", "[policy]") {
  auto policy = hospital_policy();
  auto ssh = policy.evaluate(ipv4({.destination = "192.0.2.10"}, tcp(40000, 22)), kAssigned);
  CHECK(ssh.verdict == Verdict::DropNotAllowed);
  CHECK(ssh.reason == "tcp to 192.0.2.10 port 22 matches no allow rule");
  CHECK(policy.evaluate(ipv4({.destination = "192.0.2.16"}, tcp(1, 443)), kAssigned).verdict ==
        Verdict::DropNotAllowed);
  auto dns = policy.evaluate(ipv4({.destination = "192.0.2.54", .protocol = kProtoUdp}, udp(1, 53)),
                             kAssigned);
  CHECK(dns.verdict == Verdict::DropNotAllowed);
  auto internet =
      policy.evaluate(ipv4({.destination = "8.8.8.8", .protocol = kProtoIcmp}, icmp(8)), kAssigned);
  CHECK(internet.reason == "icmp to 8.8.8.8 type 8 matches no allow rule");
  CHECK(policy.evaluate(ipv4({.destination = "192.0.2.10", .protocol = 47}, Bytes(8, 0)), kAssigned)
            .reason == "proto 47 to 192.0.2.10 matches no allow rule");
}

TEST_CASE("a spoofed source is dropped before the allow-list is consulted", "[policy]") {
  auto policy = hospital_policy();
  auto spoofed = policy.evaluate(
      ipv4({.source = "10.255.0.3", .destination = "192.0.2.10"}, tcp(1, 443)), kAssigned);
  CHECK(spoofed.verdict == Verdict::DropSpoofed);
  CHECK(spoofed.reason == "source 10.255.0.3 is not the session's 10.255.0.2");
  // The session has no IPv6 address: every IPv6 packet from it is spoofed.
  CHECK(policy.evaluate(ipv6({}, tcp(1, 443)), kAssigned).verdict == Verdict::DropSpoofed);
}

TEST_CASE("a malformed packet is dropped with the inspector's reason", "[policy]") {
  auto policy = hospital_policy();
  Bytes broken = ipv4({.destination = "192.0.2.10"}, tcp(1, 443));
  broken.pop_back();
  auto decision = policy.evaluate(broken, kAssigned);
  CHECK(decision.verdict == Verdict::DropMalformed);
  CHECK(decision.reason == "IPv4 total length 40 does not match the 39-byte frame");
  CHECK(to_string(decision.verdict) == "drop-malformed");
}

TEST_CASE("non-first fragments pass on network and protocol alone", "[policy]") {
  auto policy = hospital_policy();
  Bytes later = ipv4({.destination = "192.0.2.10", .fragment = 185}, Bytes(64, 0));  // offset 1480
  CHECK(policy.evaluate(later, kAssigned).verdict == Verdict::Allow);
  Bytes elsewhere = ipv4({.destination = "192.0.2.99", .fragment = 185}, Bytes(64, 0));
  auto refused = policy.evaluate(elsewhere, kAssigned);
  CHECK(refused.verdict == Verdict::DropNotAllowed);
  CHECK(refused.reason == "tcp to 192.0.2.99 (fragment) matches no allow rule");
}

TEST_CASE("an empty policy allows nothing, inconsistent rules are refused", "[policy]") {
  auto empty = PacketPolicy::create({});
  REQUIRE(empty.ok());
  CHECK(empty->evaluate(ipv4({}, tcp(1, 443)), kAssigned).verdict == Verdict::DropNotAllowed);

  std::vector<AllowRule> no_protocol{{cidr("192.0.2.0/24"), std::nullopt, {{80, 80}}}};
  auto refused = PacketPolicy::create(no_protocol);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "allow rule 1 (192.0.2.0/24): ports need protocol tcp or udp");

  std::vector<AllowRule> inverted{{cidr("192.0.2.0/24"), kProtoTcp, {{90, 80}}}};
  auto bad_range = PacketPolicy::create(inverted);
  REQUIRE_FALSE(bad_range.ok());
  CHECK(bad_range.error().message == "allow rule 1 (192.0.2.0/24): port range 90-80 is inverted");

  std::vector<AllowRule> any{{cidr("0.0.0.0/0"), std::nullopt, {}}};
  auto open = PacketPolicy::create(any);
  REQUIRE(open.ok());
  CHECK(open->evaluate(ipv4({.destination = "203.0.113.1"}, tcp(1, 25)), kAssigned).verdict ==
        Verdict::Allow);
}

// Issue 15 (S-6): a full tunnel carries all of the PC's IPv4 traffic; only what lies inside the
// networks it reaches (the service networks, the DNS servers) may pass, and only by a rule.
TEST_CASE("a full tunnel drops everything outside the networks it reaches", "[policy][full]") {
  std::vector<AllowRule> rules{{cidr("192.0.2.10/32"), kProtoTcp, {{443, 443}}},
                               {cidr("198.51.100.53/32"), kProtoUdp, {{53, 53}}}};
  auto full = PacketPolicy::create(rules, {cidr("192.0.2.0/24"), cidr("198.51.100.53/32")}).value();
  CHECK(full.evaluate(ipv4({.destination = "192.0.2.10"}, tcp(1, 443)), kAssigned).verdict ==
        Verdict::Allow);
  CHECK(full.evaluate(ipv4({.destination = "198.51.100.53", .protocol = kProtoUdp}, udp(1, 53)),
                      kAssigned)
            .verdict == Verdict::Allow);

  auto web = full.evaluate(ipv4({.destination = "203.0.113.7"}, tcp(40000, 80)), kAssigned);
  CHECK(web.verdict == Verdict::DropOutsideService);
  CHECK(web.reason == "tcp to 203.0.113.7 port 80 is outside the service networks");
  CHECK(web.destination == nanbyo::net::IpAddress::parse("203.0.113.7").value());
  CHECK(to_string(web.verdict) == "drop-outside-service");
  // Inside the service networks the rules decide as before.
  auto ssh = full.evaluate(ipv4({.destination = "192.0.2.10"}, tcp(1, 22)), kAssigned);
  CHECK(ssh.verdict == Verdict::DropNotAllowed);
  // The other DNS server on the same /24 is not reached.
  CHECK(full.evaluate(ipv4({.destination = "198.51.100.54", .protocol = kProtoUdp}, udp(1, 53)),
                      kAssigned)
            .verdict == Verdict::DropOutsideService);
  // A spoofed source is still told apart first.
  CHECK(full.evaluate(ipv4({.source = "10.255.0.9", .destination = "203.0.113.7"}, tcp(1, 80)),
                      kAssigned)
            .verdict == Verdict::DropSpoofed);

  // The IPv6 a full tunnel captures (X-CSTP-Address-IP6) is the session's own, and reaches
  // nothing: outside the service, audited as such; another IPv6 source is spoofed.
  const auto captured = nanbyo::net::IpAddress::parse("fd4e:616e:6279::aff:2").value();
  auto v6_web = full.evaluate(
      ipv6({.source = "fd4e:616e:6279::aff:2", .destination = "2001:db8::80"}, tcp(40000, 80)),
      kAssigned, &captured);
  CHECK(v6_web.verdict == Verdict::DropOutsideService);
  CHECK(v6_web.destination == nanbyo::net::IpAddress::parse("2001:db8::80").value());
  CHECK(full.evaluate(ipv6({.source = "fd4e:616e:6279::aff:9", .destination = "2001:db8::80"},
                           tcp(40000, 80)),
                      kAssigned, &captured)
            .verdict == Verdict::DropSpoofed);
  CHECK(full.evaluate(ipv6({.source = "fd4e:616e:6279::aff:2", .destination = "2001:db8::80"},
                           tcp(40000, 80)),
                      kAssigned)
            .verdict == Verdict::DropSpoofed);  // a session given no IPv6 address

  auto wide = PacketPolicy::create({{cidr("0.0.0.0/0"), kProtoTcp, {}}}, {cidr("192.0.2.0/24")});
  REQUIRE_FALSE(wide.ok());
  CHECK(wide.error().message ==
        "allow rule 1 (0.0.0.0/0): outside the networks the full tunnel reaches");
}
