#include "gateway/stages/host_header.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace nanbyo::gw {
namespace {

bool all_of_chars(std::string_view text, bool (*allowed)(char)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), allowed);
}

bool host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
}
bool ipv6_char(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
}
bool digit(char c) {
  return c >= '0' && c <= '9';
}

bool valid_port(std::string_view port) {
  if (!all_of_chars(port, digit) || port.size() > 5) return false;
  return std::stoul(std::string(port)) <= 65535;
}

}  // namespace

bool valid_host_header(std::string_view value) {
  std::string_view host = value;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !valid_port(rest.substr(1)))) return false;
    return all_of_chars(host.substr(1, close - 1), ipv6_char);
  }
  if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
    if (!valid_port(port)) return false;
  }
  if (host.size() > 253 || !all_of_chars(host, host_char)) return false;
  return host.front() != '.' && host.front() != '-' && host.find("..") == std::string_view::npos;
}

}  // namespace nanbyo::gw
