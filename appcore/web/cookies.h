// Cookies of the web UI. Both carry the __Host- prefix, so a browser accepts
// them only with Secure, Path=/ and no Domain: no sibling host can plant or
// read them. The browser sees HTTPS (the gateway terminates TLS), so Secure
// holds even though appcore itself speaks plain HTTP on its socket.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "appcore/web/asio.h"

namespace nanbyo::web {

// The server-side session's opaque token (core sessions).
inline constexpr const char* kSessionCookie = "__Host-nanbyo-session";
// Double-submit token for forms shown before login (login, first steps).
inline constexpr const char* kLoginCsrfCookie = "__Host-nanbyo-csrf";

// The value of cookie `name` in the request's Cookie headers; nullopt if absent
// or present twice (an attacker-planted duplicate must not win by order).
std::optional<std::string> cookie_value(const Request& request, std::string_view name);

// Set-Cookie value: HttpOnly; Secure; SameSite=Strict; Path=/ (session cookie:
// no Max-Age, so it dies with the browser; the server enforces the timeouts).
std::string set_cookie(std::string_view name, std::string_view value);
// Set-Cookie value that deletes the cookie.
std::string clear_cookie(std::string_view name);

}  // namespace nanbyo::web
