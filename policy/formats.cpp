#include "policy/formats.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "policy/net/ip_address.h"

namespace nanbyo::policy::formats {
namespace {

constexpr std::string_view kEndpointForm = "host:port with an IP address (IPv6 as [::1]:8443)";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

// The canonical text of an IP literal of the family, or "" when `text` is not one.
std::string canonical_ip(std::string_view text, bool ipv6) {
  auto address = net::IpAddress::parse(text);
  if (!address || address->is_v6() != ipv6) return {};
  return address->to_string();
}

}  // namespace

Result<std::int64_t> parse_integer(std::string_view text) {
  std::string_view digits = text.starts_with('-') ? text.substr(1) : text;
  if (!all_digits(digits)) return fail("expected an integer, got " + quote(text));
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return fail("integer out of range, got " + quote(text));
  }
  return value;
}

Result<bool> parse_boolean(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return fail("expected true or false, got " + quote(text));
}

Result<Endpoint> parse_endpoint(std::string_view text) {
  auto bad = [&] {
    return fail("expected " + std::string(kEndpointForm) + ", got " + quote(text));
  };
  Endpoint endpoint;
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    auto close = text.find("]:");
    if (close == std::string_view::npos) return bad();
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    endpoint.ipv6 = true;
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) return bad();
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  endpoint.host = canonical_ip(host, endpoint.ipv6);
  if (endpoint.host.empty()) return bad();
  auto number = parse_integer(port);
  if (!number || *number < 1 || *number > 65535) {
    return fail("port must be an integer from 1 to 65535, got " + quote(text));
  }
  endpoint.port = static_cast<std::uint16_t>(*number);
  return endpoint;
}

bool is_loopback(const Endpoint& endpoint) {
  if (endpoint.ipv6) return endpoint.host == "::1";
  return endpoint.host.starts_with("127.");
}

bool is_unspecified(const Endpoint& endpoint) {
  return endpoint.host == (endpoint.ipv6 ? "::" : "0.0.0.0");
}

Result<UpstreamAddress> parse_upstream_address(std::string_view text) {
  if (text.starts_with("unix:")) {
    auto path = text.substr(5);
    if (path.empty()) return fail("expected unix:<socket path>, got " + quote(text));
    return UpstreamAddress(UnixSocket{std::filesystem::path(path)});
  }
  auto endpoint = parse_endpoint(text);
  if (!endpoint) {
    return fail("expected unix:<socket path> or " + std::string(kEndpointForm) + ", got " +
                quote(text));
  }
  if (is_unspecified(*endpoint)) {
    return fail("an upstream needs a concrete address, not the wildcard, got " + quote(text));
  }
  return UpstreamAddress(std::move(endpoint).value());
}

Result<ControlBus> parse_control_bus(std::string_view text) {
  if (text == "system") return ControlBus{ControlBus::Kind::System, {}};
  if (text == "session") return ControlBus{ControlBus::Kind::Session, {}};
  if (text.starts_with("unix:") && text.size() > 5) {
    return ControlBus{ControlBus::Kind::Address, std::string(text)};
  }
  return fail("expected \"system\", \"session\" or a D-Bus address starting with \"unix:\", got " +
              quote(text));
}

bool is_hospital_number(std::string_view text) {
  return text.size() == 10 && all_digits(text);
}

Result<void> check_hospital_entry(std::string_view text) {
  if (text == "*" || is_hospital_number(text)) return {};
  return fail("expected \"*\" or a 10-digit hospital number, got " + quote(text));
}

Result<void> check_name(std::string_view text) {
  auto allowed = [](char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
  };
  bool ok = !text.empty() && text.size() <= 63 && std::all_of(text.begin(), text.end(), allowed) &&
            text[0] != '-' && text[0] != '_';
  if (ok) return {};
  return fail("expected a name of lowercase letters, digits, \"-\" and \"_\" (at most 63), got " +
              quote(text));
}

Result<void> check_ipsec_proposal(std::string_view text) {
  auto allowed = [](char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || c == '-'; };
  if (text.empty() || text.size() > 200 || !std::all_of(text.begin(), text.end(), allowed) ||
      text.front() == '-' || text.back() == '-' || text.find("--") != std::string_view::npos) {
    return fail(
        "expected a proposal of lowercase algorithm names joined by \"-\" "
        "(e.g. \"aes256gcm16-prfsha256-ecp256\"), got " +
        quote(text));
  }
  static constexpr std::string_view kWeak[] = {
      "des", "3des", "md5", "sha1", "prfsha1", "prfmd5", "modp768", "modp1024", "modp1536", "null"};
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('-', start), text.size());
    const std::string_view token = text.substr(start, end - start);
    for (std::string_view weak : kWeak) {
      if (token == weak) {
        return fail("the proposal " + quote(text) + " names the weak algorithm " + quote(token) +
                    "; use AES-GCM with ECDH, e.g. \"aes256gcm16-ecp256\"");
      }
    }
    start = end + 1;
  }
  return {};
}

Result<void> check_country_entry(std::string_view text) {
  if (text == "*" || (text.size() == 2 && std::all_of(text.begin(), text.end(), [](char c) {
                        return c >= 'A' && c <= 'Z';
                      }))) {
    return {};
  }
  return fail("expected a country code of two capital letters (ISO 3166-1, \"JP\") or \"*\", got " +
              quote(text));
}

Result<void> check_rule_id(std::string_view text) {
  if (!text.empty() && text.size() <= 9 && all_digits(text)) return {};
  return fail("expected a rule id of 1 to 9 digits, got " + quote(text));
}

Result<void> check_rule_target(std::string_view text) {
  static constexpr std::string_view kCollections[] = {"ARGS",
                                                      "ARGS_GET",
                                                      "ARGS_POST",
                                                      "ARGS_NAMES",
                                                      "REQUEST_COOKIES",
                                                      "REQUEST_COOKIES_NAMES",
                                                      "REQUEST_HEADERS",
                                                      "REQUEST_BODY",
                                                      "XML",
                                                      "FILES",
                                                      "FILES_NAMES"};
  const std::string_view collection = text.substr(0, text.find(':'));
  const std::string_view key =
      text.find(':') == std::string_view::npos ? "" : text.substr(text.find(':') + 1);
  auto key_char = [](char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '-' || c == '.' || c == '[' || c == ']';
  };
  const bool known = std::find(std::begin(kCollections), std::end(kCollections), collection) !=
                     std::end(kCollections);
  if (known && key.size() <= 128 && std::all_of(key.begin(), key.end(), key_char) &&
      (text.find(':') == std::string_view::npos || !key.empty())) {
    return {};
  }
  return fail("expected a ModSecurity target such as \"ARGS:comment\" or \"ARGS_NAMES\", got " +
              quote(text));
}

Result<void> check_header_pattern(std::string_view text) {
  std::string_view name = text;
  if (name.ends_with('*')) name.remove_suffix(1);
  auto allowed = [](char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
  };
  if (!name.empty() && name.size() <= 128 && std::all_of(name.begin(), name.end(), allowed)) {
    return {};
  }
  return fail(
      "expected a header name of letters, digits and \"-\", or a prefix ending in "
      "\"*\", got " +
      quote(text));
}

Result<void> check_path_prefix(std::string_view text) {
  if (!text.starts_with('/')) return fail("must start with \"/\", got " + quote(text));
  if (text == "/") return {};
  if (text.ends_with('/')) {
    return fail("must not end with \"/\" (\"/api\" also matches \"/api/...\"), got " + quote(text));
  }
  constexpr std::string_view kPchar = "-._~!$&'()*+,;=:@/";
  for (char c : text) {
    bool ok = is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              kPchar.find(c) != std::string_view::npos;
    if (!ok) {
      return fail("may contain only letters, digits and -._~!$&'()*+,;=:@/, got " + quote(text));
    }
  }
  for (std::size_t start = 1; start <= text.size();) {
    auto end = std::min(text.find('/', start), text.size());
    auto segment = text.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return fail("must not contain empty, \".\" or \"..\" segments, got " + quote(text));
    }
    start = end + 1;
  }
  return {};
}

std::string quote(std::string_view text) {
  constexpr std::size_t kMax = 80;
  bool cut = text.size() > kMax;
  if (cut) {
    std::size_t n = kMax;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // UTF-8 boundary
    text = text.substr(0, n);
  }
  std::string out = "\"";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += cut ? "...\"" : "\"";
  return out;
}

}  // namespace nanbyo::policy::formats
