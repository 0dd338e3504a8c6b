// The OpenConnect session cookie (`webvpn=`): issued at login, presented on CONNECT and on
// every reconnect. 32 random bytes, URL-safe base64 without padding (43 characters), bound to
// the certificate serial that logged in. Only SHA-256 digests are stored; lookup compares
// digests in constant time. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "pki/clock.h"
#include "pki/result.h"

namespace nanbyo::vpn {

inline constexpr std::size_t kCookieBytes = 32;
inline constexpr std::size_t kCookieTextSize = 43;

struct CookieSession {
  std::string serial;      // the certificate that logged in
  std::string session_id;  // webvpncontext and the audit log's session id; not a secret
  TimePoint issued;
  TimePoint expires;
};

struct IssuedCookie {
  std::string cookie;  // the secret: only ever in Set-Cookie, never in a log
  CookieSession session;
};

class SessionCookieStore {
 public:
  // A serial holding `max_per_serial` live cookies loses its oldest on the next login, so a
  // client logging in in a loop cannot grow the store.
  SessionCookieStore(const Clock& clock, std::chrono::seconds lifetime,
                     std::size_t max_per_serial = 4);

  IssuedCookie issue(std::string_view serial);

  // The session of a cookie presented with the certificate `serial`. Errors (no secret in
  // them): unknown or revoked, expired (and then forgotten), or issued to another certificate.
  Result<CookieSession> lookup(std::string_view cookie, std::string_view serial);

  // Ends one session for good (client DISCONNECT, logout): before the server's DISCONNECT
  // frame, so openconnect's reconnect with the cookie fails.
  bool revoke(std::string_view cookie);
  // Every cookie of a certificate (revocation, operator disconnect). Returns how many.
  std::size_t revoke_serial(std::string_view serial);
  std::size_t purge_expired();
  std::size_t size() const;

 private:
  const Clock& clock_;
  const std::chrono::seconds lifetime_;
  const std::size_t max_per_serial_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, CookieSession> by_digest_;  // SHA-256(cookie) -> session
};

// The webvpn value of a Cookie request header ("webvpn=…; webvpncontext=…"), or nullopt.
std::optional<std::string_view> find_webvpn_cookie(std::string_view cookie_header);
// Set-Cookie values for the login answer.
std::string webvpn_set_cookie(const IssuedCookie& issued);         // webvpn=…; Secure; HttpOnly
std::string webvpncontext_set_cookie(const IssuedCookie& issued);  // webvpncontext=…; Max-Age

}  // namespace nanbyo::vpn
