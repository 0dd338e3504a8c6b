// Method + path patterns ("/doctors/{id}/notice") to handlers with the access
// rule each needs. The dispatcher (web_app.cpp) enforces the rule before the
// handler runs, so a handler never forgets a role check or the CSRF token.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "appcore/core/model.h"
#include "appcore/web/asio.h"

namespace nanbyo::web {

struct RequestContext;

enum class Access {
  Public,  // no session needed (login, static, health); POSTs need the login CSRF cookie
  Setup,   // a session, possibly still in the first-login steps (ID-4)
  Roles,   // a full session whose role is in Route::roles (empty: any role)
};

using Handler = std::function<Response(RequestContext&)>;

struct Route {
  http::verb method;
  std::string pattern;
  Access access = Access::Roles;
  std::set<appcore::Role> roles;  // Access::Roles; empty = every logged-in user
  Handler handler;
  bool upload = false;  // takes a file as raw body (HttpLimits::max_upload_bytes)
  // Only POST /api/login: it must be JSON, which no cross-site form can send
  // without a CORS preflight (refused), and API clients have no page to get a
  // token from first.
  bool csrf_exempt = false;
  // Only GET /api/imports/{id}: an import holds the core's lock for its whole
  // run, so progress polls must not ask the core for the session. The handler
  // checks that the request carries the session token that started the job.
  bool skip_core_session = false;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  bool path_known = false;  // some route has this path (for 405 vs 404)
};

class Router {
 public:
  void add(Route route);
  RouteMatch match(http::verb method, const std::string& path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace nanbyo::web
