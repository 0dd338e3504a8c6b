// The XML login of an OpenConnect client: `POST /` with `X-Aggregate-Auth: 1` and a
// <config-auth> body, answered with <config-auth type="complete"> plus the webvpn cookie.
//
// Login is by client certificate only. A client without a usable certificate is answered
// HTTP 401 (as ocserv does), never with an auth-request form: this gateway has no password
// login, and a form would invite the client to send credentials we must not receive.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "pki/result.h"

namespace nanbyo::vpn {

// openconnect's init body is under 1 KiB; anything near this is not a VPN client.
inline constexpr std::size_t kMaxConfigAuthBytes = 16 * 1024;
inline constexpr std::size_t kMaxConfigAuthField = 256;

enum class ConfigAuthType { Init, AuthReply };

struct ConfigAuthRequest {
  ConfigAuthType type = ConfigAuthType::Init;
  std::string aggregate_auth_version;  // attribute of <config-auth>; "2" from openconnect 9
  std::string version;                 // <version who="vpn">, e.g. "v9.01"
  std::string device_id;               // <device-id>, e.g. "linux-64"
  std::string group_access;            // <group-access>: the URL the client was given
  std::string group_select;            // <group-select>: the --authgroup it asked for
  bool client_cert_fail = false;       // <client-cert-fail/>: it could not use a certificate
  // auth-reply: an <auth> element with children (username, password...). Their values are
  // never read, so no credential reaches memory we keep or a log.
  bool has_credentials = false;
};

// Refused before libxml2 sees the bytes: over kMaxConfigAuthBytes, empty, NUL bytes, any
// "<!" other than a comment (DOCTYPE, ENTITY, CDATA), an XML declaration naming an encoding
// other than UTF-8. libxml2 then parses as UTF-8 (declared encoding ignored) with NONET, no
// DTD loading, no entity substitution, default depth limits, no recovery; a document that
// still ends up with a DTD is refused. Fields are cut to nothing: longer than
// kMaxConfigAuthField or holding control characters is an error. Unknown elements are
// ignored; a repeated known element is an error.
Result<ConfigAuthRequest> parse_config_auth(std::string_view body);

// The success answer (Content-Type: text/xml), e.g.
//   <config-auth client="vpn" type="complete" aggregate-auth-version="2">
//     <version who="sg">…</version><auth id="success"><title>…</title></auth></config-auth>
// The session cookie travels only in Set-Cookie (no <session-token>), so a client's
// --dump-http-traffic of the body shows no credential. Text is XML-escaped.
std::string build_auth_complete(std::string_view title, std::string_view server_version);

}  // namespace nanbyo::vpn
