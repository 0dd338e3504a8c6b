#include "gateway/tund/tun_request.h"

#include <algorithm>
#include <charconv>

namespace nanbyo::tund {
namespace {

constexpr std::string_view kOpen = "open ";
constexpr std::string_view kOk = "ok ";
constexpr std::string_view kError = "error ";

bool is_printable(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// Canonical dotted decimal only: what parses and formats back unchanged.
Result<net::Ipv4Address> parse_ipv4(std::string_view text) {
  if (text.empty() || text.size() > 15) return fail("not an IPv4 address");
  auto parsed = net::Ipv4Address::parse(text);
  if (!parsed) return fail("not an IPv4 address");
  if (parsed->to_string() != text) return fail("not an IPv4 address in canonical form");
  return parsed;
}

Result<unsigned> parse_mtu(std::string_view text) {
  if (text.empty() || text.size() > 5 || text[0] == '0') return fail("not an MTU");
  unsigned mtu = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), mtu);
  if (error != std::errc() || end != text.data() + text.size()) return fail("not an MTU");
  return mtu;
}

}  // namespace

std::string encode_request(const TunRequest& request) {
  return std::string(kOpen) + request.peer.to_string() + " " + std::to_string(request.mtu);
}

Result<TunRequest> parse_request(std::string_view message) {
  if (message.size() > kMaxMessage) return fail("request too long");
  if (!message.starts_with(kOpen)) return fail("unknown request");
  message.remove_prefix(kOpen.size());
  const auto space = message.find(' ');
  if (space == std::string_view::npos) return fail("request without an MTU");
  NANBYO_TRY(peer, parse_ipv4(message.substr(0, space)));
  NANBYO_TRY(mtu, parse_mtu(message.substr(space + 1)));
  return TunRequest{peer, mtu};
}

std::string encode_ok(std::string_view interface_name) {
  return std::string(kOk) + std::string(interface_name);
}

std::string encode_error(std::string_view message) {
  std::string text(kError);
  for (char c : message.substr(0, kMaxMessage - kError.size())) {
    text.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  return text;
}

Result<std::string> parse_reply(std::string_view message) {
  if (message.size() > kMaxMessage || !is_printable(message)) {
    return fail("the TUN helper sent a malformed answer");
  }
  if (message.starts_with(kOk)) {
    message.remove_prefix(kOk.size());
    if (!is_interface_name(message)) return fail("the TUN helper sent a bad interface name");
    return std::string(message);
  }
  if (message.starts_with(kError)) {
    message.remove_prefix(kError.size());
    return fail("the TUN helper refused: " + std::string(message));
  }
  return fail("the TUN helper sent a malformed answer");
}

bool is_interface_name(std::string_view name) {
  if (name.empty() || name.size() > 15 || name[0] < 'a' || name[0] > 'z') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

}  // namespace nanbyo::tund
