#include "gateway/vpn_tunnel.h"

#include "gateway/error_pages.h"
#include "gateway/tund/tun_provider.h"
#include "gateway/vpn/cstp_headers.h"
#include "gateway/vpn_tunnel_session.h"

namespace nanbyo::gw {
namespace {

constexpr std::string_view kTunnelPath = "/CSCOSSLC/tunnel";

struct Refusal {
  http::status status;
  std::string check;
  std::string detail;
};

// Gives the address back however the tunnel ends.
struct LeaseGuard {
  vpn::AddressPool& pool;
  vpn::AddressLease lease;
  ~LeaseGuard() { pool.release(lease); }
};

std::string connected_header(const http::fields& fields) {
  std::string out = "HTTP/1.1 200 CONNECTED\r\n";
  for (const auto& field : fields) {
    const auto name = field.name_string();
    const auto value = field.value();
    out.append(name.data(), name.size()).append(": ").append(value.data(), value.size());
    out.append("\r\n");
  }
  return out + "\r\n";
}

// Everything a tunnel needs once the request has passed every check.
struct OpenedTunnel {
  std::optional<LeaseGuard> lease;
  std::optional<TunDevice> tun;
  std::string cookie;
  std::string session_id;
  vpn::TunnelGrant grant;
  std::shared_ptr<const VpnProfile> profile;
  std::string header;  // 200 CONNECTED and the X-CSTP headers
};

// The checks of a tunnel request, synchronous: a refusal or an opened tunnel. (Kept out of
// the coroutine: g++ 12 destroys braced temporaries passed to a coroutine call twice.)
std::optional<Refusal> open_tunnel(const Request& request, const Connection& conn, Context& ctx,
                                   OpenedTunnel& out) {
  VpnState* state = ctx.services.vpn;
  out.profile = ctx.runtime->vpn;
  if (state == nullptr || !out.profile) {
    return Refusal{http::status::service_unavailable, "vpn-not-configured", ""};
  }
  const std::string_view target(request.target().data(), request.target().size());
  if (target != kTunnelPath) {
    return Refusal{http::status::not_found, "unknown-tunnel-path", std::string(target)};
  }
  const auto cookie_header = request[http::field::cookie];
  auto cookie =
      vpn::find_webvpn_cookie(std::string_view(cookie_header.data(), cookie_header.size()));
  if (!cookie) return Refusal{http::status::unauthorized, "no-session-cookie", ""};
  auto session = state->cookies.lookup(*cookie, ctx.identity.serial);
  if (!session) {
    return Refusal{http::status::unauthorized, "session-cookie", session.error().message};
  }
  auto tunnel_request = vpn::parse_tunnel_request(request.base());
  if (!tunnel_request) {
    return Refusal{http::status::bad_request, "malformed-tunnel-request",
                   tunnel_request.error().message};
  }
  // One tunnel per PC: a reconnect replaces the tunnel the client has given up on.
  const uint64_t self = conn.id;
  const std::string serial = ctx.identity.serial;
  ctx.services.registry.close_where(
      [&](const LiveConnection& c) {
        return c.id != self && c.identity.serial == serial && c.kind() == "vpn";
      },
      std::string(kTunnelReplaced));
  auto lease = state->pool->acquire(serial);
  if (!lease) {
    return Refusal{http::status::service_unavailable, "address-pool-exhausted",
                   lease.error().message};
  }
  out.lease.emplace(*state->pool, *lease);
  out.grant = {lease->address, state->pool->netmask(),
               vpn::negotiate_mtu(*tunnel_request, out.profile->settings.max_mtu), std::nullopt};
  if (vpn::captures_ipv6(*tunnel_request, out.profile->settings)) {
    out.grant.address_v6 = vpn::capture_address_v6(lease->address);
  }
  auto tun =
      ctx.services.tun->open({out.profile->gateway_address, out.grant.address, out.grant.mtu});
  if (!tun) return Refusal{http::status::service_unavailable, "tun", tun.error().message};
  out.tun.emplace(std::move(tun.value()));
  out.cookie = std::string(*cookie);
  out.session_id = session->session_id;
  out.header = connected_header(
      vpn::tunnel_response_fields(*tunnel_request, out.profile->settings, out.grant));
  return std::nullopt;
}

Response refusal_response(const Refusal& why, const Request& request, Context& ctx,
                          const std::string& request_id) {
  ctx.services.metrics.vpn_tunnels_refused++;
  ctx.audit("vpn-tunnel-reject", audit::Outcome::Deny,
            {{"check", why.check}, {"detail", why.detail}, {"request-id", request_id}});
  Response response = error_response(why.status, request.version(), false, request_id);
  if (why.status == http::status::service_unavailable) response.set("X-Reason", why.check);
  return response;
}

}  // namespace

awaitable<void> serve_vpn_tunnel(Stream& stream, beast::flat_buffer& buffer, const Request& request,
                                 Connection& conn, Context& ctx, const std::string& request_id) {
  OpenedTunnel opened;
  if (std::optional<Refusal> refusal = open_tunnel(request, conn, ctx, opened)) {
    Response response = refusal_response(*refusal, request, ctx, request_id);
    ctx.deadline->expires_after(ctx.runtime->policy->limits.idle_timeout);
    beast::error_code ec;
    co_await http::async_write(stream, response, asio::redirect_error(use_awaitable, ec));
    co_return;
  }
  const vpn::TunnelGrant& grant = opened.grant;
  const std::string address = grant.address.to_string();
  conn.set_tunnel_address(address);
  ctx.services.metrics.vpn_tunnels_opened++;
  ctx.audit("vpn-tunnel-open", audit::Outcome::Allow,
            {{"session", opened.session_id},
             {"address", address},
             {"address-ipv6", grant.address_v6 ? grant.address_v6->to_string() : "none"},
             {"mtu", std::to_string(grant.mtu)},
             {"interface", opened.tun->name()},
             {"request-id", request_id}});
  TunnelSetup setup{opened.cookie,  opened.session_id,     grant.address,      grant.mtu,
                    opened.profile, opened.tun->release(), opened.tun->name(), grant.address_v6};
  TunnelSession tunnel(stream, conn, ctx, std::move(setup));
  const TunnelTotals totals = co_await tunnel.run(std::move(opened.header), buffer);
  const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - conn.started);
  ctx.audit("vpn-tunnel-close",
            totals.reason.starts_with("client") ? audit::Outcome::Info : audit::Outcome::Deny,
            {{"session", opened.session_id},
             {"address", address},
             {"reason", totals.reason},
             {"packets-in", std::to_string(totals.packets_in)},
             {"packets-out", std::to_string(totals.packets_out)},
             {"dropped", std::to_string(totals.dropped)},
             {"bytes-in", std::to_string(totals.bytes_in)},
             {"bytes-out", std::to_string(totals.bytes_out)},
             {"age-ms", std::to_string(age.count())}});
}

}  // namespace nanbyo::gw
