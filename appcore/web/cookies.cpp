#include "appcore/web/cookies.h"

namespace nanbyo::web {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> cookie_value(const Request& request, std::string_view name) {
  std::optional<std::string> found;
  for (auto it = request.find(http::field::cookie);
       it != request.end() && it->name() == http::field::cookie; ++it) {
    std::string_view header(it->value().data(), it->value().size());
    while (!header.empty()) {
      const std::size_t semi = header.find(';');
      std::string_view pair = trim(header.substr(0, semi));
      header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != name) continue;
      if (found) return std::nullopt;
      found = std::string(trim(pair.substr(eq + 1)));
    }
  }
  return found;
}

std::string set_cookie(std::string_view name, std::string_view value) {
  return std::string(name) + "=" + std::string(value) +
         "; Path=/; Secure; HttpOnly; SameSite=Strict";
}

std::string clear_cookie(std::string_view name) {
  return std::string(name) + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0";
}

}  // namespace nanbyo::web
