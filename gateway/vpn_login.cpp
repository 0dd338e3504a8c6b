#include "gateway/vpn_login.h"

#include "gateway/contract/identity_headers.h"
#include "gateway/error_pages.h"
#include "gateway/vpn/config_auth.h"
#include "gateway/vpn_state.h"

namespace nanbyo::gw {
namespace {

constexpr const char* kServerVersion = "nanbyo-gateway";
constexpr const char* kLoginTitle = "nanbyo VPN";

Response refuse(Context& ctx, http::status status, const Request& request,
                const std::string& request_id, const std::string& check,
                const std::string& detail) {
  ctx.services.metrics.vpn_logins_refused++;
  ctx.audit("vpn-login", audit::Outcome::Deny,
            {{"check", check}, {"detail", detail}, {"request-id", request_id}});
  return error_response(status, request.version(), false, request_id);
}

}  // namespace

VpnRequest classify_vpn_request(const Request& request) {
  if (request.method() == http::verb::connect) return VpnRequest::Tunnel;
  if (request.method() == http::verb::post && request.count("X-Aggregate-Auth") > 0) {
    return VpnRequest::Login;
  }
  return VpnRequest::None;
}

Response vpn_login_response(const Request& request, Context& ctx, const std::string& request_id) {
  if (ctx.services.vpn == nullptr) {
    return refuse(ctx, http::status::service_unavailable, request, request_id, "vpn-not-configured",
                  "the gateway started without a vpn section");
  }
  if (ctx.identity.serial.empty()) {
    // As ocserv: a client without a certificate is told 401, never offered a password form.
    return refuse(ctx, http::status::unauthorized, request, request_id, "no-certificate",
                  "the VPN login needs a client certificate");
  }
  auto parsed = vpn::parse_config_auth(request.body());
  if (!parsed) {
    return refuse(ctx, http::status::bad_request, request, request_id, "malformed-config-auth",
                  parsed.error().message);
  }
  if (parsed->client_cert_fail) {
    return refuse(ctx, http::status::unauthorized, request, request_id, "client-cert-fail",
                  "the client reported it could not use its certificate");
  }
  if (parsed->has_credentials) {
    return refuse(ctx, http::status::unauthorized, request, request_id, "password-login",
                  "password login is not offered; the certificate is the login");
  }
  const vpn::IssuedCookie issued = ctx.services.vpn->cookies.issue(ctx.identity.serial);
  ctx.services.metrics.vpn_logins++;
  ctx.audit("vpn-login", audit::Outcome::Allow,
            {{"session", issued.session.session_id},
             {"client-version", parsed->version},
             {"device", parsed->device_id},
             {"request-id", request_id}});

  Response response{http::status::ok, request.version()};
  response.set(http::field::content_type, "text/xml");
  response.set(http::field::cache_control, "no-store");
  response.insert(http::field::set_cookie, vpn::webvpn_set_cookie(issued));
  response.insert(http::field::set_cookie, vpn::webvpncontext_set_cookie(issued));
  response.set(contract::kRequestIdHeader, request_id);
  response.body() = vpn::build_auth_complete(kLoginTitle, kServerVersion);
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

}  // namespace nanbyo::gw
