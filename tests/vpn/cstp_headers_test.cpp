// The CONNECT headers of openconnect are validated and answered with the header set it needs;
// the MTU is the smallest of what both sides allow.
#include <catch2/catch.hpp>

#include "gateway/vpn/cstp_headers.h"

using namespace nanbyo::vpn;
namespace http = boost::beast::http;

namespace {

// What openconnect 9 sends on CONNECT /CSCOSSLC/tunnel (with DTLS enabled).
http::fields openconnect_request() {
  http::fields f;
  f.insert(http::field::host, "vpn.example.jp");
  f.insert(http::field::user_agent, "Open AnyConnect VPN Agent v9.01");
  f.insert(http::field::cookie, "webvpn=abc");
  f.insert("X-CSTP-Version", "1");
  f.insert("X-CSTP-Hostname", "uketsuke-01");
  f.insert("X-CSTP-Accept-Encoding", "oc-lz4,lzs,deflate");
  f.insert("X-CSTP-Base-MTU", "1500");
  f.insert("X-CSTP-MTU", "1399");
  f.insert("X-CSTP-Address-Type", "IPv6,IPv4");
  f.insert("X-CSTP-Full-IPv6-Capability", "true");
  f.insert("X-DTLS-Master-Secret", "00112233");
  f.insert("X-DTLS-CipherSuite", "PSK-NEGOTIATE:OC-DTLS1_2-AES256-GCM");
  return f;
}

std::string refused(const http::fields& f) {
  auto parsed = parse_tunnel_request(f);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().message;
}

std::vector<std::string> values(const http::fields& f, const char* name) {
  std::vector<std::string> out;
  auto [first, last] = f.equal_range(name);
  for (auto it = first; it != last; ++it) out.emplace_back(it->value());
  return out;
}

TunnelSettings settings() {
  TunnelSettings s;
  s.max_mtu = 1400;
  s.dns = {*nanbyo::net::Ipv4Address::parse("192.0.2.53")};
  s.split_include = {*nanbyo::net::Cidr::parse("192.0.2.0/24"),
                     *nanbyo::net::Cidr::parse("198.51.100.0/25")};
  s.idle_timeout = std::chrono::seconds(1800);
  return s;
}

}  // namespace

TEST_CASE("openconnect's tunnel request is read", "[cstp-headers]") {
  auto request = parse_tunnel_request(openconnect_request());
  REQUIRE(request.ok());
  CHECK(request->hostname == "uketsuke-01");
  CHECK(request->base_mtu == 1500u);
  CHECK(request->mtu == 1399u);
  CHECK(request->ipv4);
  CHECK(request->ipv6);
  CHECK(request->accept_encoding == std::vector<std::string>{"oc-lz4", "lzs", "deflate"});
  CHECK(request->dtls_offered);

  http::fields minimal;
  minimal.insert("X-CSTP-Version", "1");
  auto bare = parse_tunnel_request(minimal);
  REQUIRE(bare.ok());
  CHECK(bare->ipv4);
  CHECK_FALSE(bare->ipv6);
  CHECK_FALSE(bare->mtu.has_value());
  CHECK_FALSE(bare->dtls_offered);
}

TEST_CASE("invalid tunnel request headers are refused with a reason", "[cstp-headers]") {
  auto with = [](const char* name, const char* value) {
    auto f = openconnect_request();
    f.set(name, value);
    return f;
  };
  http::fields none;
  CHECK(refused(none) == "X-CSTP-Version is missing");
  CHECK(refused(with("X-CSTP-Version", "2")) == "X-CSTP-Version \"2\" is not 1");
  CHECK(refused(with("X-CSTP-MTU", "14x0")) == "X-CSTP-MTU \"14x0\" is not a number");
  CHECK(refused(with("X-CSTP-MTU", "-1")) == "X-CSTP-MTU \"-1\" is not a number");
  CHECK(refused(with("X-CSTP-Base-MTU", "100")) == "X-CSTP-Base-MTU 100 is outside 576-65535");
  CHECK(refused(with("X-CSTP-Base-MTU", "99999")) == "X-CSTP-Base-MTU 99999 is outside 576-65535");
  CHECK(refused(with("X-CSTP-Address-Type", "IPv6")) ==
        "the client does not accept IPv4 (X-CSTP-Address-Type: IPv6); this gateway assigns IPv4 "
        "addresses only");
  CHECK(refused(with("X-CSTP-Address-Type", "IPv4,IPX")) ==
        "X-CSTP-Address-Type \"IPX\" is unknown");
  CHECK(refused(with("X-CSTP-Hostname", "pc\x01name")) ==
        "X-CSTP-Hostname holds non-printable characters");
  CHECK(refused(with("X-CSTP-Hostname", std::string(256, 'h').c_str())) ==
        "X-CSTP-Hostname is longer than 255 bytes");
  auto twice = openconnect_request();
  twice.insert("X-CSTP-MTU", "9000");
  CHECK(refused(twice) == "X-CSTP-MTU appears 2 times");
}

TEST_CASE("the MTU is the smallest of server max, client MTU and base MTU minus overhead",
          "[cstp-headers]") {
  TunnelRequest r;
  CHECK(negotiate_mtu(r, 1400) == 1400);  // client states nothing
  r.mtu = 1300;
  CHECK(negotiate_mtu(r, 1400) == 1300);  // client asks for less
  r.mtu = 1500;
  CHECK(negotiate_mtu(r, 1400) == 1400);  // server max wins
  r.base_mtu = 1280;
  CHECK(negotiate_mtu(r, 1400) == 1280 - kCstpTlsOverhead);  // a small link
  r = {};
  r.base_mtu = 600;
  CHECK(negotiate_mtu(r, 1400) == kMinTunnelMtu);  // never below 576
  CHECK(negotiate_mtu({}, 100) == kMinTunnelMtu);  // a misconfigured max is clamped
  CHECK(negotiate_mtu({}, 20000) == kMaxTunnelMtu);
  auto oc = parse_tunnel_request(openconnect_request());
  REQUIRE(oc.ok());
  CHECK(negotiate_mtu(*oc, 1400) == 1399);
}

TEST_CASE("the CONNECT answer carries what openconnect needs and no DTLS", "[cstp-headers]") {
  auto request = parse_tunnel_request(openconnect_request());
  REQUIRE(request.ok());
  TunnelGrant grant{*nanbyo::net::Ipv4Address::parse("10.255.0.2"),
                    *nanbyo::net::Ipv4Address::parse("255.255.255.0"), 1399, std::nullopt};
  auto f = tunnel_response_fields(*request, settings(), grant);
  CHECK(values(f, "X-CSTP-Version") == std::vector<std::string>{"1"});
  CHECK(values(f, "X-CSTP-Address") == std::vector<std::string>{"10.255.0.2"});
  CHECK(values(f, "X-CSTP-Netmask") == std::vector<std::string>{"255.255.255.0"});
  CHECK(values(f, "X-CSTP-DNS") == std::vector<std::string>{"192.0.2.53"});
  CHECK(values(f, "X-CSTP-Split-Include") ==
        std::vector<std::string>{"192.0.2.0/255.255.255.0", "198.51.100.0/255.255.255.128"});
  CHECK(values(f, "X-CSTP-MTU") == std::vector<std::string>{"1399"});
  CHECK(values(f, "X-CSTP-Base-MTU") == std::vector<std::string>{"1500"});
  CHECK(values(f, "X-CSTP-Keepalive") == std::vector<std::string>{"20"});
  CHECK(values(f, "X-CSTP-DPD") == std::vector<std::string>{"30"});
  CHECK(values(f, "X-CSTP-Idle-Timeout") == std::vector<std::string>{"1800"});
  CHECK(values(f, "X-CSTP-Session-Timeout") == std::vector<std::string>{"none"});
  CHECK(values(f, "X-CSTP-Rekey-Method") == std::vector<std::string>{"none"});
  CHECK(f.count("X-CSTP-Default-Domain") == 0);
  CHECK(f.count("X-CSTP-Content-Encoding") == 0);
  CHECK(f.count("X-CSTP-Address-IP6") == 0);  // a split tunnel leaves IPv6 to the PC
  for (const auto& field : f) {
    CHECK(std::string(field.name_string()).rfind("X-DTLS", 0) == std::string::npos);
  }
}

// Issue 15 (S-6): the full tunnel sends no route at all; openconnect's vpnc-script then
// replaces the PC's default route with the tunnel.
TEST_CASE("a full tunnel answers without any split-include route", "[cstp-headers]") {
  auto full = settings();
  full.split_include.clear();
  CHECK(check_tunnel_settings(full).ok());
  TunnelRequest request;
  TunnelGrant grant{*nanbyo::net::Ipv4Address::parse("10.255.0.2"),
                    *nanbyo::net::Ipv4Address::parse("255.255.255.0"), 1400, std::nullopt};
  auto f = tunnel_response_fields(request, full, grant);
  CHECK(f.count("X-CSTP-Split-Include") == 0);
  CHECK(f.count("X-CSTP-Split-Exclude") == 0);
  CHECK(f.count("X-CSTP-DNS") == settings().dns.size());
}

// Issue 15 (S-6): without an IPv6 address the client keeps its own IPv6 default route and
// its IPv6 leaves around the tunnel; with one and no IPv6 route it routes IPv6 in too.
TEST_CASE("a full tunnel captures the IPv6 of a client that takes it", "[cstp-headers]") {
  auto full = settings();
  full.split_include.clear();
  full.capture_ipv6 = true;
  auto request = parse_tunnel_request(openconnect_request());
  REQUIRE(request.ok());
  REQUIRE(request->ipv6);  // openconnect offers "IPv6,IPv4"
  CHECK(captures_ipv6(*request, full));
  CHECK_FALSE(captures_ipv6(*request, settings()));  // split tunnel
  TunnelRequest ipv4_only;
  CHECK_FALSE(captures_ipv6(ipv4_only, full));
  const auto lease = *nanbyo::net::Ipv4Address::parse("10.255.0.2");
  const auto v6 = capture_address_v6(lease);
  CHECK(v6.to_string() == "fd4e:616e:6279::aff:2");
  CHECK(capture_address_v6(*nanbyo::net::Ipv4Address::parse("10.255.0.3")) != v6);
  TunnelGrant grant{lease, *nanbyo::net::Ipv4Address::parse("255.255.255.0"), 1400, v6};
  auto f = tunnel_response_fields(*request, full, grant);
  CHECK(values(f, "X-CSTP-Address-IP6") == std::vector<std::string>{"fd4e:616e:6279::aff:2/64"});
  CHECK(f.count("X-CSTP-Split-Include-IP6") == 0);
}

TEST_CASE("tunnel settings are checked", "[cstp-headers]") {
  CHECK(check_tunnel_settings(settings()).ok());
  auto message = [](TunnelSettings s) {
    auto checked = check_tunnel_settings(s);
    REQUIRE_FALSE(checked.ok());
    return checked.error().message;
  };
  auto s = settings();
  s.split_include.push_back(*nanbyo::net::Cidr::parse("0.0.0.0/0"));
  CHECK(message(s) == "split-include 0.0.0.0/0: send none for a full tunnel");
  s = settings();
  s.split_include.push_back(*nanbyo::net::Cidr::parse("fd00::/64"));
  CHECK(message(s) == "split-include fd00::/64 is not IPv4");
  s = settings();
  s.max_mtu = 100;
  CHECK(message(s) == "tunnel MTU 100 is outside 576-9000");
  s = settings();
  s.dpd = std::chrono::seconds(0);
  CHECK(message(s) == "keepalive and DPD intervals must be positive");
  s = settings();
  s.session_timeout = std::chrono::seconds(0);
  CHECK(message(s) == "idle and session timeouts must be positive (or none)");
}
