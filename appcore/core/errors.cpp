#include "appcore/core/errors.h"

#include <array>
#include <utility>

namespace nanbyo::appcore {
namespace {

constexpr std::array<std::pair<Errc, std::string_view>, 11> kNames{{
    {Errc::InvalidInput, "invalid-input"},
    {Errc::NotFound, "not-found"},
    {Errc::Forbidden, "forbidden"},
    {Errc::Conflict, "conflict"},
    {Errc::AuthFailed, "auth-failed"},
    {Errc::Locked, "locked"},
    {Errc::Throttled, "throttled"},
    {Errc::Expired, "expired"},
    {Errc::SetupRequired, "setup-required"},
    {Errc::WrongStep, "wrong-step"},
    {Errc::Internal, "internal"},
}};

}  // namespace

std::string_view to_string(Errc code) {
  for (const auto& [c, name] : kNames)
    if (c == code) return name;
  return "internal";
}

Error fail(Errc code, std::string_view text) {
  std::string message(to_string(code));
  message += ": ";
  message += text;
  return Error{std::move(message)};
}

Errc error_code(const Error& error) {
  const std::string_view m = error.message;
  for (const auto& [c, name] : kNames) {
    if (m.size() > name.size() + 1 && m.substr(0, name.size()) == name &&
        m.substr(name.size(), 2) == ": ")
      return c;
  }
  return Errc::Internal;
}

std::string_view error_text(const Error& error) {
  const std::string_view m = error.message;
  for (const auto& [c, name] : kNames) {
    (void)c;
    if (m.size() > name.size() + 1 && m.substr(0, name.size()) == name &&
        m.substr(name.size(), 2) == ": ")
      return m.substr(name.size() + 2);
  }
  return m;
}

}  // namespace nanbyo::appcore
