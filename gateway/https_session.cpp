#include "gateway/https_session.h"

#include <optional>

#include "gateway/client_cert_check.h"
#include "gateway/error_pages.h"
#include "gateway/geoip/country_db.h"
#include "gateway/http_wire.h"
#include "gateway/ips_enforcement.h"
#include "gateway/session_context.h"
#include "gateway/stages/identity_headers.h"
#include "gateway/stages/request_chain.h"
#include "gateway/vpn_login.h"
#include "gateway/vpn_tunnel.h"
#include "pki/audit/audit_sink.h"
#include "pki/encoding.h"
#include "pki/random.h"

namespace nanbyo::gw {
namespace {

constexpr std::size_t kMaxResponseBytes = 64 << 20;

// Observes a request's time from its read to the end of its answer, whichever way it ends.
class RequestTimer {
 public:
  explicit RequestTimer(metrics::Histogram& into) : into_(&into) {}
  RequestTimer(const RequestTimer&) = delete;
  RequestTimer& operator=(const RequestTimer&) = delete;
  ~RequestTimer() {
    if (into_) into_->observe(std::chrono::steady_clock::now() - started_);
  }
  void cancel() { into_ = nullptr; }

 private:
  metrics::Histogram* into_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

std::string peer_text(const TcpSocket& socket) {
  beast::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  return (ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string()) +
         ":" + std::to_string(ep.port());
}

awaitable<void> send(Stream& stream, Response response, Context& ctx, beast::error_code& ec) {
  ctx.deadline->expires_after(ctx.runtime->policy->limits.idle_timeout);
  ctx.services.metrics.bytes_out += response.body().size();
  co_await write_message(stream, response, ctx.wire, ec);
}

// Fields a chunked body's trailer added after the header (Beast appends them to the
// header's): removed and named in `trailers`. Nothing from a trailer is forwarded.
void drop_trailers(Request& request, std::ptrdiff_t header_fields,
                   std::vector<std::string>& trailers) {
  auto it = request.begin();
  for (std::ptrdiff_t i = 0; i < header_fields && it != request.end(); ++i) ++it;
  while (it != request.end()) {
    trailers.emplace_back(it->name_string().data(), it->name_string().size());
    it = request.erase(it);
  }
}

// Reads one request. Waiting for its first byte is idle time; from then on the
// whole header must arrive within header_timeout (slowloris guard).
awaitable<bool> read_request(Stream& stream, beast::flat_buffer& buffer,
                             http::request_parser<http::string_body>& parser, bool first,
                             Context& ctx, std::vector<std::string>& trailers,
                             beast::error_code& ec) {
  const auto& limits = ctx.runtime->policy->limits;
  if (buffer.size() == 0) {
    ctx.deadline->expires_after(first ? limits.header_timeout : limits.idle_timeout);
    std::size_t n = co_await stream.async_read_some(buffer.prepare(4096),
                                                    asio::redirect_error(use_awaitable, ec));
    buffer.commit(n);
    if (ec) co_return false;
  }
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
  // Most requests arrive whole in one read: parse what is here first, and only wait (with
  // a new deadline, through Beast's composed read) for a header that is still incomplete.
  buffer.consume(parser.put(buffer.data(), ec));
  if (ec == http::error::need_more) {
    ec = {};
    ctx.deadline->expires_after(limits.header_timeout);
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(use_awaitable, ec));
  }
  if (ec || parser.is_done()) co_return !ec;
  if (parser.get()[http::field::expect] == "100-continue") {
    // The gateway buffers the body itself; tell the client to send it now.
    http::response<http::empty_body> go_on{http::status::continue_, 11};
    co_await http::async_write(stream, go_on, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return false;
  }
  const auto header_fields = std::distance(parser.get().begin(), parser.get().end());
  ctx.deadline->expires_after(limits.idle_timeout);
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
  if (!ec) drop_trailers(parser.get(), header_fields, trailers);
  co_return !ec;
}

// The label of a stage's refusal: by what refused, read from the verdict (no string compare).
RefusalReason refusal_of(const StageVerdict& verdict, const RequestView& view) {
  if (view.inspection.blocked) return RefusalReason::InspectionBlocked;
  switch (verdict.status) {
    case http::status::too_many_requests:
      return RefusalReason::RateLimited;
    case http::status::forbidden:
    case http::status::unauthorized:
      return RefusalReason::Forbidden;
    case http::status::not_found:
      return RefusalReason::NotFound;
    default:
      return RefusalReason::BadRequest;
  }
}

// A stage's refusal: counted, audited, answered; false when the connection must end.
awaitable<bool> refuse(Stream& stream, const Request& request, const StageVerdict& verdict,
                       const RequestView& view, Context& ctx) {
  const std::string& request_id = view.request_id;
  ctx.services.metrics.requests_refused++;
  ctx.services.metrics.refused(refusal_of(verdict, view));
  if (verdict.audit) {
    ctx.audit("request-reject", audit::Outcome::Deny,
              {{"check", verdict.check},
               {"detail", verdict.detail},
               {"request-id", request_id},
               {"method", std::string(request.method_string())}});
  }
  const bool keep_alive = request.keep_alive() && !verdict.close;
  beast::error_code ec;
  co_await send(stream, error_response(verdict.status, request.version(), keep_alive, request_id),
                ctx, ec);
  co_return !ec && keep_alive;
}

// What inspection found: one record (deny when it blocked), metrics by family.
void audit_inspection(const RequestView& view, Context& ctx) {
  const InspectionResult& result = view.inspection;
  if (!result.inspected) return;
  ctx.services.metrics.inspection_requests++;
  if (result.prefiltered) ctx.services.metrics.inspection_prefiltered++;
  if (result.alerts.empty()) return;
  ctx.services.metrics.inspection_alerted++;
  if (result.blocked) ctx.services.metrics.inspection_blocked++;
  std::string rules, families, severities, variables;
  auto add = [](std::string& list, const std::string& item) {
    if (item.empty() || ("," + list + ",").find("," + item + ",") != std::string::npos) return;
    list += (list.empty() ? "" : ",") + item;
  };
  for (const auto& alert : result.alerts) {
    ctx.services.metrics.count_alert(alert.family);
    add(rules, alert.rule_id);
    add(families, alert.family);
    add(severities, alert.severity);
    add(variables, alert.variable);
  }
  ctx.audit("inspection-alert", result.blocked ? audit::Outcome::Deny : audit::Outcome::Allow,
            {{"rules", rules},
             {"families", families},
             {"severity", severities},
             {"anomaly-score", std::to_string(result.anomaly_score)},
             {"variables", variables},
             {"mode", result.detection_only ? "detection" : "blocking"},
             {"message", result.alerts.front().message},
             {"request-id", view.request_id}});
}

// Headers the stages removed (claimed identities, "_" names, trailers): one record.
void audit_dropped(const RequestView& view, Context& ctx) {
  if (view.dropped.empty()) return;
  std::string names;
  for (const auto& name : view.dropped) names += (names.empty() ? "" : ",") + name;
  ctx.audit("request-sanitized", audit::Outcome::Allow,
            {{"dropped", names}, {"request-id", view.request_id}});
}

// What a read error means for the client, or nothing when it just went away.
std::optional<std::pair<http::status, std::string>> read_failure(const beast::error_code& ec) {
  if (ec == http::error::header_limit) {
    return std::pair{http::status::request_header_fields_too_large, "oversized-header"};
  }
  if (ec == http::error::body_limit)
    return std::pair{http::status::payload_too_large, "oversized-body"};
  if (ec.category() == beast::error_code(http::error::bad_method).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return std::pair{http::status::bad_request, "malformed-request"};
  }
  return std::nullopt;
}

// The upstream's response as the client gets it.
awaitable<void> send_forwarded(Stream& stream, const UpstreamResponse& response,
                               const Request& request, bool keep_alive, Context& ctx,
                               beast::error_code& ec) {
  ctx.deadline->expires_after(ctx.runtime->policy->limits.idle_timeout);
  ctx.services.metrics.bytes_out += response.body.size();
  serialize_header(response, request.version(), keep_alive, request.method() == http::verb::head,
                   ctx.wire);
  co_await write_header_and_body(stream, ctx.wire, response.body, ec);
}

void tag_session(const UpstreamResponse& response, Connection& conn, Context& ctx, bool& revoked) {
  if (!response.session) return;
  const auto claim = contract::parse_session_header(*response.session);
  if (!claim) return;
  conn.set_user(claim->user);
  revoked = ctx.services.revocations.session_revoked(claim->user, claim->issued);
}

awaitable<void> serve_requests(Stream& stream, Connection& conn, Context& ctx) {
  beast::flat_buffer buffer;
  for (bool first = true;; first = false) {
    beast::error_code ec;
    http::request_parser<http::string_body> parser;
    std::vector<std::string> trailers;
    if (!co_await read_request(stream, buffer, parser, first, ctx, trailers, ec)) {
      if (ctx.deadline->expired() && parser.got_some()) {
        ctx.services.metrics.slow_clients_closed++;
        ctx.services.metrics.refused(RefusalReason::SlowClient);
        ctx.audit("slow-client", audit::Outcome::Deny,
                  {{"check", parser.is_header_done() ? "body-timeout" : "header-timeout"}});
      } else if (auto failure = read_failure(ec)) {
        ctx.services.metrics.requests_refused++;
        ctx.services.metrics.refused(RefusalReason::BadRequest);
        ctx.audit("request-reject", audit::Outcome::Deny,
                  {{"check", failure->second}, {"error", ec.message()}});
        co_await send(stream, error_response(failure->first, 11, false, ""), ctx, ec);
      }
      co_return;
    }
    Request& request = parser.get();
    request.erase(http::field::expect);  // answered above; the upstream gets the whole body
    if (uint64_t generation = ctx.services.runtime.generation(); generation != ctx.generation) {
      // Listener names survive reloads (Gateway::reload refuses to change them).
      // Copy the name first: the old snapshot may die with the assignment.
      const std::string listener_name = ctx.listener->name;
      ctx.generation = generation;
      ctx.runtime = ctx.services.runtime.current();
      ctx.listener = ctx.runtime->policy->find_listener(listener_name);
    }
    ctx.services.metrics.requests++;
    ctx.listener_metrics->requests.fetch_add(1, std::memory_order_relaxed);
    RequestTimer timer{ctx.listener_metrics->request_seconds};
    conn.requests++;
    conn.bytes_in += request.body().size();
    ctx.services.metrics.bytes_in += request.body().size();
    const std::string request_id =
        ctx.worker.request_id_prefix + std::to_string(++ctx.worker.next_request);
    const bool keep_alive = request.keep_alive();
    RequestView view{request,
                     *ctx.runtime->policy,
                     *ctx.listener,
                     ctx.identity,
                     ctx.peer,
                     request_id,
                     ctx.added_fields,
                     ctx.runtime->inspector.get(),
                     nullptr,
                     {},
                     {},
                     &ctx.services.ips,
                     &ctx.runtime->ips,
                     ctx.services.audit};
    for (auto& name : trailers) view.dropped.push_back(name + " (trailer)");
    if (StageVerdict verdict = RequestChain::edge().run(view); !verdict.proceed) {
      if (verdict.status == http::status::too_many_requests)
        ctx.services.metrics.ips_rate_limited++;
      audit_dropped(view, ctx);
      if (!co_await refuse(stream, request, verdict, view, ctx)) co_return;
      continue;
    }

    // The seam of issue 4: on a VPN listener the OpenConnect login and tunnel are served
    // here; every other request goes to the reverse proxy.
    switch (ctx.listener->vpn ? classify_vpn_request(request) : VpnRequest::None) {
      case VpnRequest::Tunnel:
        audit_dropped(view, ctx);
        timer.cancel();  // a tunnel is no request: it lives as long as the session
        co_await serve_vpn_tunnel(stream, buffer, request, conn, ctx, request_id);
        co_return;
      case VpnRequest::Login: {
        audit_dropped(view, ctx);
        Response response = vpn_login_response(request, ctx, request_id);
        const bool again = response.keep_alive();
        conn.bytes_out += response.body().size();
        co_await send(stream, std::move(response), ctx, ec);
        if (ec || !again) co_return;
        continue;
      }
      case VpnRequest::None:
        break;
    }
    if (request.method() == http::verb::connect) {
      ctx.services.metrics.requests_refused++;
      ctx.services.metrics.refused(RefusalReason::VpnNotEnabled);
      ctx.audit("request-reject", audit::Outcome::Deny,
                {{"check", "vpn-not-enabled"}, {"request-id", request_id}});
      co_await send(
          stream,
          error_response(http::status::method_not_allowed, request.version(), false, request_id),
          ctx, ec);
      co_return;
    }

    StageVerdict verdict = RequestChain::proxy().run(view);
    audit_dropped(view, ctx);
    audit_inspection(view, ctx);
    charge_inspection(view, ctx);
    if (!verdict.proceed) {
      if (!co_await refuse(stream, request, verdict, view, ctx)) co_return;
      continue;
    }
    const policy::Upstream* upstream = ctx.runtime->policy->find_upstream(view.route->upstream);
    // No client operation is pending while the upstream answers: its own deadline counts.
    ctx.deadline->expires_never();
    const auto asked = std::chrono::steady_clock::now();
    ProxyResult result = co_await ctx.worker.upstreams.forward(*upstream, request, ctx.added_fields,
                                                               kMaxResponseBytes);
    ctx.services.metrics.upstream_seconds.observe(std::chrono::steady_clock::now() - asked);
    bool close_after = !keep_alive;
    if (result.ok) {
      bool revoked = false;
      tag_session(result.response, conn, ctx, revoked);
      if (!revoked) {
        conn.bytes_out += result.response.body.size();
        co_await send_forwarded(stream, result.response, request, !close_after, ctx, ec);
        if (ec || close_after) co_return;
        continue;
      }
      ctx.services.metrics.refused(RefusalReason::SessionRevoked);
      ctx.audit("session-reject", audit::Outcome::Deny,
                {{"check", "user-revoked"}, {"user", conn.user()}, {"request-id", request_id}});
      co_await send(
          stream, error_response(http::status::unauthorized, request.version(), false, request_id),
          ctx, ec);
      co_return;
    }
    const bool timed_out = result.status == http::status::gateway_timeout;
    (timed_out ? ctx.services.metrics.upstream_timeouts : ctx.services.metrics.upstream_errors)++;
    ctx.services.metrics.refused(timed_out ? RefusalReason::UpstreamTimeout
                                           : RefusalReason::UpstreamError);
    ctx.audit("upstream-failure", audit::Outcome::Deny,
              {{"check", result.failure}, {"detail", result.detail}, {"request-id", request_id}});
    Response response = error_response(result.status, request.version(), keep_alive, request_id);
    conn.bytes_out += response.body().size();
    co_await send(stream, std::move(response), ctx, ec);
    if (ec || close_after) co_return;
  }
}

}  // namespace

awaitable<void> serve_connection(TcpSocket socket, std::string listener_name, Services& services,
                                 Worker& worker, ListenerMetrics& counted_as) {
  const uint64_t generation = services.runtime.generation();
  auto runtime = services.runtime.current();
  const policy::Listener* listener = runtime->policy->find_listener(listener_name);
  auto tls = runtime->tls.at(listener_name);
  Context ctx{services, worker, runtime, generation, listener, peer_text(socket), {}, {}, {}};
  ctx.listener_metrics = &counted_as;
  services.metrics.connections_accepted++;
  counted_as.connections.fetch_add(1, std::memory_order_relaxed);
  ++services.open_sockets;
  struct SocketCount {
    std::atomic<std::size_t>& count;
    ~SocketCount() { --count; }
  } counted{services.open_sockets};
  if (services.open_sockets > runtime->policy->limits.max_connections) {
    services.metrics.refused(RefusalReason::ConnectionLimit);
    ctx.audit("connection-reject", audit::Outcome::Deny, {{"check", "connection-limit"}});
    co_return;
  }
  // Before the handshake: a blocked source (IPS) or one over its connection limit.
  auto source_slot = admit_source(ctx, ips::source_of_peer(ctx.peer));
  if (!source_slot) co_return;
  if (runtime->geoip) {
    // Before the handshake: a country the listener does not admit costs no TLS work.
    beast::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    const CountryVerdict where =
        ec ? CountryVerdict{false, "unknown"}
           : judge_country(*runtime->geoip, listener->allowed_countries, peer.address());
    if (!where.allowed) {
      services.metrics.geoip_refused++;
      services.metrics.refused(RefusalReason::Country);
      ctx.audit("connection-reject", audit::Outcome::Deny,
                {{"check", "country-not-allowed"}, {"country", where.country}});
      co_return;
    }
  }

  Stream stream(std::move(socket), *tls);
  Deadline deadline(stream.get_executor(), [&stream] { beast::get_lowest_layer(stream).close(); });
  ctx.deadline = &deadline;
  HandshakeNotes notes;
  attach_handshake_notes(stream.native_handle(), &notes);
  beast::error_code ec;
  deadline.expires_after(runtime->policy->limits.header_timeout);
  const auto handshake_started = std::chrono::steady_clock::now();
  co_await stream.async_handshake(ssl::stream_base::server,
                                  asio::redirect_error(use_awaitable, ec));
  if (ec) {
    services.metrics.handshakes_failed++;
    auto verdict = explain_handshake_failure(
        notes, SSL_get0_peer_certificate(stream.native_handle()) != nullptr,
        deadline.expired() ? "handshake timed out" : ec.message());
    ctx.identity.serial = verdict.identity.serial;
    services.metrics.refused(RefusalReason::Handshake);
    services.metrics.certificate_refused(verdict.check);
    ctx.audit("tls-reject", audit::Outcome::Deny,
              {{"check", verdict.check}, {"detail", verdict.detail}});
    co_return;
  }

  counted_as.handshake_seconds.observe(std::chrono::steady_clock::now() - handshake_started);
  CertVerdict verdict = judge_client(stream.native_handle(), listener->client_certificate,
                                     listener->allowed_hospitals, services.revocations);
  ctx.identity = verdict.identity;
  if (!verdict.allowed) {
    services.metrics.certificates_rejected++;
    services.metrics.refused(RefusalReason::Certificate);
    services.metrics.certificate_refused(verdict.check);
    ctx.audit("certificate-reject", audit::Outcome::Deny,
              {{"check", verdict.check}, {"detail", verdict.detail}});
    co_await send(stream, error_response(http::status::forbidden, 11, false, ""), ctx, ec);
    co_return;
  }

  if (!admit_terminal(ctx)) {
    co_await send(stream, error_response(http::status::forbidden, 11, false, ""), ctx, ec);
    co_return;
  }

  auto conn = std::make_shared<Connection>(stream.get_executor(), services);
  conn->peer = ctx.peer;
  conn->listener = listener_name;
  conn->identity = ctx.identity;
  conn->attach(&stream);
  services.registry.add(conn);
  ctx.audit("connect", audit::Outcome::Allow,
            {{"tls", SSL_get_version(stream.native_handle())},
             {"cipher", SSL_get_cipher_name(stream.native_handle())}});
  // A revocation that landed between the verdict and registration still counts.
  if (!ctx.identity.serial.empty() &&
      services.revocations.certificate_revoked(ctx.identity.serial)) {
    conn->close("certificate " + ctx.identity.serial + " revoked");
  }

  try {
    co_await serve_requests(stream, *conn, ctx);
  } catch (const std::exception& e) {
    // A request the code did not expect ends its connection, never the registry entry.
    services.metrics.requests_refused++;
    services.metrics.refused(RefusalReason::Error);
    ctx.audit("request-error", audit::Outcome::Deny, {{"detail", e.what()}});
  }

  if (!conn->close_reason().empty()) {
    ctx.audit("forced-close", audit::Outcome::Deny, {{"reason", conn->close_reason()}});
  } else {
    deadline.expires_after(std::chrono::seconds(1));
    co_await stream.async_shutdown(asio::redirect_error(use_awaitable, ec));
  }
  conn->detach();
  services.registry.remove(conn->id);
}

}  // namespace nanbyo::gw
