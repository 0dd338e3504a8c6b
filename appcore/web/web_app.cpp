#include "appcore/web/web_app.h"

#include <openssl/crypto.h>

#include <chrono>

#include "appcore/web/cookies.h"
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"
#include "gateway/contract/identity_headers.h"
#include "gateway/contract/session_header.h"
#include "pki/encoding.h"
#include "pki/random.h"

namespace nanbyo::web {
namespace {

bool same_token(const std::string& a, const std::string& b) {
  return !a.empty() && a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool state_changing(http::verb v) {
  return v != http::verb::get && v != http::verb::head;
}

// Parses the body as the content type says; false with `why` when it does not parse.
bool parse_body(RequestContext& ctx, const Route& route, std::string& why) {
  if (!state_changing(ctx.request.method()) || route.upload) return true;
  std::string type(ctx.request[http::field::content_type]);
  type = type.substr(0, type.find(';'));
  if (type == "application/x-www-form-urlencoded") {
    ctx.form = FormData::parse(ctx.request.body());
    if (!ctx.form) why = "フォームの形式が正しくありません。";
    return ctx.form.has_value();
  }
  if (type == "application/json") {
    ctx.json = nlohmann::json::parse(ctx.request.body(), nullptr, false);
    if (ctx.json.is_discarded() || !ctx.json.is_object()) why = "JSONの形式が正しくありません。";
    return !ctx.json.is_discarded() && ctx.json.is_object();
  }
  if (ctx.request.body().empty()) return true;
  why = "送信データの形式（Content-Type）に対応していません。";
  return false;
}

}  // namespace

WebApp::WebApp(Services services, asio::thread_pool& workers, HttpLimits limits)
    : services_(services), workers_(workers), limits_(limits) {
  add_static_routes(router_);
  add_auth_routes(router_);
  add_setup_routes(router_);
  add_password_routes(router_);
  add_doctor_routes(router_);
  add_doctor_action_routes(router_);
  add_import_routes(router_);
  add_user_routes(router_);
  add_affiliation_routes(router_);
  add_affiliation_request_routes(router_);
  add_operator_routes(router_);
  add_form_layout_routes(router_);    // public, before /forms/{id}
  add_form_worklist_routes(router_);  // before add_form_routes: /forms/approvals vs /forms/{id}
  add_form_flow_routes(router_);      // likewise: /forms/access-key, /forms/xsd
  add_form_import_routes(router_);    // and /forms/import-results/{id}
  add_form_routes(router_);
  add_audit_routes(router_);
  add_audit_chain_routes(router_);
}

std::size_t WebApp::body_limit(const Request& header) const {
  auto match = router_.match(
      header.method(),
      split_target(std::string_view(header.target().data(), header.target().size())).path);
  return match.route && match.route->upload ? limits_.max_upload_bytes : limits_.max_body_bytes;
}

awaitable<Response> WebApp::handle(Request request, Peer peer) {
  // The core blocks (Argon2id, SQLite, SMTP): the HTTP thread only does I/O.
  co_return co_await asio::co_spawn(
      workers_,
      [this, &request, &peer]() -> awaitable<Response> { co_return dispatch(request, peer); },
      use_awaitable);
}

Response WebApp::dispatch(const Request& request, const Peer& peer) {
  const auto started = std::chrono::steady_clock::now();
  Response response = dispatch_request(request, peer);
  if (services_.metrics) {
    services_.metrics->answered(response.result_int(), std::chrono::steady_clock::now() - started);
  }
  return response;
}

Response WebApp::dispatch_request(const Request& request, const Peer& peer) {
  Target target = split_target(std::string_view(request.target().data(), request.target().size()));
  const bool api = target.path.starts_with("/api/");
  auto identity = read_gateway_identity(request, peer.trusted);
  if (!identity) {
    // Not through the gateway: nobody to trust, so nothing else is looked at.
    const auto message = "このシステムにはゲートウェイ経由でのみ接続できます。";
    Response res = api ? json_error(http::status::forbidden, "not-via-gateway", message, "-")
                       : html_error_page(http::status::forbidden, message, "-");
    apply_security_headers(res);
    return res;
  }
  RequestContext ctx(services_, request, std::move(identity).value(), target.path, target.query);
  ctx.api = api;
  ctx.session_token = cookie_value(request, kSessionCookie).value_or("");
  ctx.csrf_token = cookie_value(request, kLoginCsrfCookie).value_or("");

  auto match = router_.match(request.method(), target.path);
  Response response;
  if (!match.route) {
    response =
        match.path_known
            ? error_response(ctx, http::status::method_not_allowed, "method-not-allowed",
                             "この方法では操作できません。")
            : error_response(ctx, http::status::not_found, "not-found", "ページが見つかりません。");
  } else {
    ctx.params = std::move(match.params);
    response = run_route(ctx, *match.route);
  }
  finish(ctx, response);
  if (request.method() == http::verb::head) {
    const auto length = response.body().size();
    response.body().clear();
    response.content_length(length);
  }
  return response;
}

Response WebApp::run_route(RequestContext& ctx, const Route& route) {
  auto& core = services_.core;
  if (route.skip_core_session) return route.handler(ctx);  // GET only: no CSRF to check
  if (!ctx.session_token.empty()) {
    auto principal = core.resolve_session(ctx.session_token, ctx.terminal());
    if (principal) {
      ctx.principal = std::move(principal).value();
      auto step = core.setup_step(*ctx.principal);
      ctx.setup_step = step ? step.value() : appcore::SetupStep::None;
    } else {
      // Timed out, revoked or from another hospital's PC: forget it.
      ctx.set_cookies.push_back(clear_cookie(kSessionCookie));
      ctx.session_token.clear();
    }
  }
  const bool login_page = !ctx.api && ctx.request.method() == http::verb::get;
  if (route.access != Access::Public) {
    if (!ctx.principal) {
      if (login_page) return redirect_to("/login?expired=1");
      return error_response(ctx, http::status::unauthorized, "login-required",
                            "ログインしてください。");
    }
    if (route.access == Access::Roles && ctx.setup_step != appcore::SetupStep::None) {
      if (login_page) return redirect_to("/setup");
      return error_response(ctx, http::status::forbidden, "setup-required",
                            "初回ログインの手続きを先に完了してください。");
    }
    if (route.access == Access::Roles && !route.roles.empty() &&
        !route.roles.count(ctx.principal->role)) {
      return error_response(ctx, http::status::forbidden, "forbidden",
                            "この操作を行う権限がありません。");
    }
  }
  std::string why;
  if (!parse_body(ctx, route, why))
    return error_response(ctx, http::status::bad_request, "bad-body", why);
  if (route.csrf_exempt && ctx.json.is_null())
    return error_response(ctx, http::status::unsupported_media_type, "json-required",
                          "JSON（application/json）で送信してください。");
  if (state_changing(ctx.request.method()) && !route.csrf_exempt) {
    std::string submitted(ctx.request["X-CSRF-Token"]);
    if (submitted.empty() && ctx.form) submitted = ctx.form->get("_csrf");
    const bool ok = ctx.principal ? core.check_csrf(ctx.session_token, submitted).ok()
                                  : same_token(submitted, ctx.csrf_token);
    if (!ok)
      return error_response(ctx, http::status::forbidden, "csrf",
                            "画面の有効期限が切れたか、不正な送信です。画面を開き直してください。");
  }
  if (!ctx.principal && ctx.csrf_token.empty()) {
    // Forms before login use a double-submit token; give every anonymous visitor one.
    ctx.csrf_token = to_hex(random_bytes(32));
    ctx.set_cookies.push_back(set_cookie(kLoginCsrfCookie, ctx.csrf_token));
  }
  try {
    return route.handler(ctx);
  } catch (const std::exception&) {
    if (services_.metrics) services_.metrics->internal_error();
    // Nothing of the exception reaches the client: it might name data.
    return error_response(ctx, http::status::internal_server_error, "internal",
                          "システムエラーが発生しました。");
  }
}

void WebApp::finish(RequestContext& ctx, Response& response) const {
  apply_security_headers(response);
  for (const auto& cookie : ctx.set_cookies) response.insert(http::field::set_cookie, cookie);
  response.set(contract::kRequestIdHeader, ctx.gateway.request_id);
  if (ctx.principal) {
    // For the gateway (stripped there): whose session this is, and since when.
    response.set(
        contract::kSessionHeader,
        contract::format_session_header(
            {ctx.principal->user_id, services_.sessions.issued(ctx.principal->session_id_hash)}));
  }
}

}  // namespace nanbyo::web
