// The HttpHandler of nanbyo-appcore: checks the gateway's identity headers,
// routes, resolves the session, enforces the route's access rule and the CSRF
// token, runs the handler on the worker pool (the core blocks: Argon2id,
// SQLite, SMTP), and adds the security headers and the X-Nanbyo-Session
// header the gateway uses to end revoked users' sessions (S-8).
#pragma once

#include <memory>

#include "appcore/web/http_server.h"
#include "appcore/web/request_context.h"
#include "appcore/web/router.h"

namespace nanbyo::web {

class WebApp final : public HttpHandler {
 public:
  WebApp(Services services, asio::thread_pool& workers, HttpLimits limits);

  std::size_t body_limit(const Request& header) const override;
  awaitable<Response> handle(Request request, Peer peer) override;

  // Synchronous form of handle(), for tests and the worker pool.
  Response dispatch(const Request& request, const Peer& peer);

 private:
  Response dispatch_request(const Request& request, const Peer& peer);
  Response run_route(RequestContext& ctx, const Route& route);
  void finish(RequestContext& ctx, Response& response) const;

  Services services_;
  asio::thread_pool& workers_;
  HttpLimits limits_;
  Router router_;
};

}  // namespace nanbyo::web
