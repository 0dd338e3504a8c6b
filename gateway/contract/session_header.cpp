#include "gateway/contract/session_header.h"

#include <algorithm>
#include <charconv>

namespace nanbyo::contract {
namespace {

constexpr std::string_view kUser = "user=";
constexpr std::string_view kIssued = "; issued=";

bool valid_user(std::string_view user) {
  return !user.empty() && user.size() <= 256 && std::all_of(user.begin(), user.end(), [](char c) {
    return c > 0x20 && c < 0x7f && c != ';';
  });
}

}  // namespace

std::string format_session_header(const SessionClaim& claim) {
  return std::string(kUser) + claim.user + std::string(kIssued) + std::to_string(claim.issued);
}

std::optional<SessionClaim> parse_session_header(std::string_view value) {
  if (!value.starts_with(kUser)) return std::nullopt;
  value.remove_prefix(kUser.size());
  const auto end_of_user = value.find(kIssued);
  if (end_of_user == std::string_view::npos) return std::nullopt;
  SessionClaim claim{std::string(value.substr(0, end_of_user)), 0};
  const std::string_view issued = value.substr(end_of_user + kIssued.size());
  if (!valid_user(claim.user) || issued.empty() || issued.front() < '0' || issued.front() > '9')
    return std::nullopt;
  // One spelling per time, as format_session_header writes it (found by the fuzzer).
  if (issued.size() > 1 && issued.front() == '0') return std::nullopt;
  auto [end, error] = std::from_chars(issued.data(), issued.data() + issued.size(), claim.issued);
  if (error != std::errc() || end != issued.data() + issued.size()) return std::nullopt;
  return claim;
}

}  // namespace nanbyo::contract
