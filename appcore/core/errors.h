// Error codes of the application core. Every expected failure is a
// nanbyo::Error (pki/result.h) whose message starts with a stable code:
//   "<code>: <English text a user can act on>"
// The web layer maps the code to an HTTP status and a Japanese message
// (error_code()), and may show error_text() to operators. No message ever
// holds a secret (password, token, key) or another user's personal data.
#pragma once

#include <string>
#include <string_view>

#include "pki/result.h"

namespace nanbyo::appcore {

enum class Errc {
  InvalidInput,   // "invalid-input": a field or file is malformed (400)
  NotFound,       // "not-found": no such user, hospital, municipality (404)
  Forbidden,      // "forbidden": role or scope refuses the action (403)
  Conflict,       // "conflict": already exists, limit reached (409)
  AuthFailed,     // "auth-failed": wrong ID or password, unknown session (401)
  Locked,         // "locked": an administrator locked the account (423)
  Throttled,      // "throttled": too many failed logins; wait the seconds named (429)
  Expired,        // "expired": initial password, session or designation expired (401)
  SetupRequired,  // "setup-required": first-login steps must be completed first (403)
  WrongStep,      // "wrong-step": the first-login step asked for is not the current one (409)
  Internal,       // "internal": storage or crypto failure (500)
};

std::string_view to_string(Errc code);

// Builds an Error "<code>: <text>".
Error fail(Errc code, std::string_view text);

// The code of an error made by fail(Errc, ...); Internal for any other error.
Errc error_code(const Error& error);
// The text after "<code>: ".
std::string_view error_text(const Error& error);

}  // namespace nanbyo::appcore
