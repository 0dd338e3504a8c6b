// X-Nanbyo-Session: on a response, the application core tells the gateway whose session it
// belongs to and when that session was issued, so a user revoked since then is cut off
// (RevokeUser, S-8). The gateway removes it: it never reaches the client.
//
//   X-Nanbyo-Session: user=<user id>; issued=<unix seconds>
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nanbyo::contract {

inline constexpr const char* kSessionHeader = "X-Nanbyo-Session";

struct SessionClaim {
  std::string user;         // appcore's user id: printable ASCII without ';'
  std::int64_t issued = 0;  // unix seconds

  bool operator==(const SessionClaim&) const = default;
};

std::string format_session_header(const SessionClaim& claim);

// Exactly the format above, or nothing: an empty or unprintable user, a user with ';', a
// negative, signed, zero-padded or non-numeric time, anything after it.
std::optional<SessionClaim> parse_session_header(std::string_view value);

}  // namespace nanbyo::contract
