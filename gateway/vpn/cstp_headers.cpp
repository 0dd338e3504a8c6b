#include "gateway/vpn/cstp_headers.h"

#include <algorithm>
#include <charconv>

#include "gateway/stages/ascii_case.h"
#include "gateway/vpn/shown_text.h"

namespace nanbyo::vpn {
namespace {

using boost::beast::http::fields;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool printable(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; });
}

// The trimmed value of a header that may appear at most once; nullopt when absent.
Result<std::optional<std::string_view>> single(const fields& headers, std::string_view name) {
  boost::beast::string_view key(name.data(), name.size());  // Boost 1.74: no std::string_view
  auto count = headers.count(key);
  if (count == 0) return std::optional<std::string_view>();
  if (count > 1) return fail(std::string(name) + " appears " + std::to_string(count) + " times");
  auto value = headers.find(key)->value();
  return std::optional<std::string_view>(trim(std::string_view(value.data(), value.size())));
}

Result<std::optional<unsigned>> mtu_header(const fields& headers, std::string_view name) {
  NANBYO_TRY(value, single(headers, name));
  if (!value) return std::optional<unsigned>();
  unsigned mtu = 0;
  auto [end, err] = std::from_chars(value->data(), value->data() + value->size(), mtu);
  if (value->empty() || err != std::errc() || end != value->data() + value->size()) {
    return fail(std::string(name) + " \"" + shown(*value) + "\" is not a number");
  }
  if (mtu < kMinTunnelMtu || mtu > 65535) {
    return fail(std::string(name) + " " + std::to_string(mtu) + " is outside 576-65535");
  }
  return std::optional<unsigned>(mtu);
}

// Calls `each` with every trimmed, non-empty item of a comma list.
template <typename F>
void for_each_item(std::string_view list, F each) {
  while (!list.empty()) {
    auto comma = list.find(',');
    auto item = trim(list.substr(0, comma));
    if (!item.empty()) each(item);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
}

Result<void> read_address_type(const fields& headers, TunnelRequest& out) {
  NANBYO_TRY(value, single(headers, "X-CSTP-Address-Type"));
  if (!value) return {};
  out.ipv4 = out.ipv6 = false;
  std::string unknown;
  for_each_item(*value, [&](std::string_view item) {
    if (gw::equals_ignoring_case(item, "IPv4")) {
      out.ipv4 = true;
    } else if (gw::equals_ignoring_case(item, "IPv6")) {
      out.ipv6 = true;
    } else if (unknown.empty()) {
      unknown = shown(item);
    }
  });
  if (!unknown.empty()) return fail("X-CSTP-Address-Type \"" + unknown + "\" is unknown");
  if (!out.ipv4) {
    return fail("the client does not accept IPv4 (X-CSTP-Address-Type: " + shown(*value) +
                "); this gateway assigns IPv4 addresses only");
  }
  return {};
}

std::string seconds_or_none(const std::optional<std::chrono::seconds>& value) {
  return value ? std::to_string(value->count()) : "none";
}

}  // namespace

Result<TunnelRequest> parse_tunnel_request(const fields& headers) {
  TunnelRequest out;
  NANBYO_TRY(version, single(headers, "X-CSTP-Version"));
  if (!version) return fail("X-CSTP-Version is missing");
  if (*version != "1") return fail("X-CSTP-Version \"" + shown(*version) + "\" is not 1");

  NANBYO_TRY(hostname, single(headers, "X-CSTP-Hostname"));
  if (hostname) {
    if (hostname->size() > 255) return fail("X-CSTP-Hostname is longer than 255 bytes");
    if (!printable(*hostname)) return fail("X-CSTP-Hostname holds non-printable characters");
    out.hostname = std::string(*hostname);
  }
  NANBYO_TRY(base_mtu, mtu_header(headers, "X-CSTP-Base-MTU"));
  NANBYO_TRY(mtu, mtu_header(headers, "X-CSTP-MTU"));
  out.base_mtu = base_mtu;
  out.mtu = mtu;
  NANBYO_TRY_VOID(read_address_type(headers, out));

  NANBYO_TRY(encodings, single(headers, "X-CSTP-Accept-Encoding"));
  if (encodings) {
    for_each_item(*encodings, [&](std::string_view item) {
      if (out.accept_encoding.size() < 8) out.accept_encoding.push_back(shown(item));
    });
  }
  for (const auto& field : headers) {
    auto name = field.name_string();
    if (name.size() >= 6 && gw::equals_ignoring_case(std::string_view(name.data(), 6), "X-DTLS")) {
      out.dtls_offered = true;
    }
  }
  return out;
}

Result<void> check_tunnel_settings(const TunnelSettings& settings) {
  if (settings.max_mtu < kMinTunnelMtu || settings.max_mtu > kMaxTunnelMtu) {
    return fail("tunnel MTU " + std::to_string(settings.max_mtu) + " is outside " +
                std::to_string(kMinTunnelMtu) + "-" + std::to_string(kMaxTunnelMtu));
  }
  for (const net::Cidr& network : settings.split_include) {
    if (!network.is_v4()) return fail("split-include " + network.to_string() + " is not IPv4");
    // The full tunnel is an empty list, never a route some clients would take literally.
    if (network.prefix() == 0) return fail("split-include 0.0.0.0/0: send none for a full tunnel");
  }
  if (settings.default_domain.size() > 253 || !printable(settings.default_domain)) {
    return fail("default domain is not a printable name of at most 253 bytes");
  }
  if (settings.keepalive.count() <= 0 || settings.dpd.count() <= 0) {
    return fail("keepalive and DPD intervals must be positive");
  }
  if ((settings.idle_timeout && settings.idle_timeout->count() <= 0) ||
      (settings.session_timeout && settings.session_timeout->count() <= 0)) {
    return fail("idle and session timeouts must be positive (or none)");
  }
  return {};
}

net::IpAddress capture_address_v6(net::Ipv4Address lease) {
  net::IpAddress::Bytes16 bytes{0xfd, 0x4e, 0x61, 0x6e, 0x62, 0x79};
  const auto v4 = net::IpAddress(lease).bytes();
  std::copy(v4.begin(), v4.begin() + 4, bytes.begin() + 12);
  return net::IpAddress::v6(bytes);
}

bool captures_ipv6(const TunnelRequest& request, const TunnelSettings& settings) {
  return settings.capture_ipv6 && request.ipv6;
}

unsigned negotiate_mtu(const TunnelRequest& request, unsigned server_max_mtu) {
  unsigned mtu = std::clamp(server_max_mtu, kMinTunnelMtu, kMaxTunnelMtu);
  if (request.mtu) mtu = std::min(mtu, *request.mtu);
  if (request.base_mtu && *request.base_mtu > kCstpTlsOverhead) {
    mtu = std::min(mtu, *request.base_mtu - kCstpTlsOverhead);
  }
  return std::max(mtu, kMinTunnelMtu);
}

fields tunnel_response_fields(const TunnelRequest& request, const TunnelSettings& settings,
                              const TunnelGrant& grant) {
  fields out;
  out.insert("X-CSTP-Version", "1");
  out.insert("X-CSTP-Address", grant.address.to_string());
  out.insert("X-CSTP-Netmask", grant.netmask.to_string());
  if (grant.address_v6) {
    out.insert("X-CSTP-Address-IP6",
               grant.address_v6->to_string() + "/" + std::to_string(kCaptureV6PrefixLength));
  }
  for (const net::Ipv4Address& dns : settings.dns) out.insert("X-CSTP-DNS", dns.to_string());
  if (!settings.default_domain.empty()) {
    out.insert("X-CSTP-Default-Domain", settings.default_domain);
  }
  for (const net::Cidr& network : settings.split_include) {
    out.insert("X-CSTP-Split-Include", network.to_mask_string());
  }
  out.insert("X-CSTP-MTU", std::to_string(grant.mtu));
  if (request.base_mtu) out.insert("X-CSTP-Base-MTU", std::to_string(*request.base_mtu));
  out.insert("X-CSTP-Keepalive", std::to_string(settings.keepalive.count()));
  out.insert("X-CSTP-DPD", std::to_string(settings.dpd.count()));
  out.insert("X-CSTP-Idle-Timeout", seconds_or_none(settings.idle_timeout));
  out.insert("X-CSTP-Session-Timeout", seconds_or_none(settings.session_timeout));
  out.insert("X-CSTP-Rekey-Method", "none");
  return out;
}

}  // namespace nanbyo::vpn
