// The request headers nanbyo-gateway sets on every request it proxies: the HTTP half of the
// gateway<->appcore contract (the session header answering them is in session_header.h).
// The gateway removes any copy a client sends before setting them; the application core
// trusts them only over its UNIX socket or loopback (appcore/web/gateway_identity.h).
#pragma once

#include <string_view>

namespace nanbyo::contract {

// The whole X-Nanbyo- family is the gateway's: no client may send any of it.
inline constexpr std::string_view kGatewayHeaderPrefix = "X-Nanbyo-";

// With a client certificate (PC 証明書); the hospital is empty when the certificate has none.
inline constexpr const char* kCertSerialHeader = "X-Nanbyo-Cert-Serial";
inline constexpr const char* kHospitalHeader = "X-Nanbyo-Hospital";  // 医療機関番号
inline constexpr const char* kTerminalHeader = "X-Nanbyo-Terminal";

// On every request.
inline constexpr const char* kListenerHeader = "X-Nanbyo-Listener";
inline constexpr const char* kRequestIdHeader = "X-Request-Id";        // also on every response
inline constexpr const char* kForwardedForHeader = "X-Forwarded-For";  // the client's address
inline constexpr const char* kForwardedProtoHeader = "X-Forwarded-Proto";
inline constexpr const char* kForwardedProto = "https";  // its only value

// Every header above, in that order.
inline constexpr const char* kGatewayHeaders[] = {
    kCertSerialHeader, kHospitalHeader,     kTerminalHeader,       kListenerHeader,
    kRequestIdHeader,  kForwardedForHeader, kForwardedProtoHeader,
};

}  // namespace nanbyo::contract
