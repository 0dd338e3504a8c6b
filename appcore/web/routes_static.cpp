// /static/app.css and /static/app.js, embedded in the binary (embed_assets.cmake):
// an appliance has no web root to misconfigure, and the CSP allows only 'self'.
#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace assets {
extern const std::string_view k_app_css;
extern const std::string_view k_app_js;
}  // namespace assets

namespace {

Handler serve(std::string_view content, const char* type) {
  return [content, type](RequestContext&) {
    Response res{http::status::ok, 11};
    res.set(http::field::content_type, type);
    // Not personal; short cache so an upgrade shows quickly.
    res.set(http::field::cache_control, "public, max-age=300");
    res.body() = std::string(content);
    res.prepare_payload();
    return res;
  };
}

}  // namespace

void add_static_routes(Router& router) {
  router.add({http::verb::get,
              "/static/app.css",
              Access::Public,
              {},
              serve(assets::k_app_css, "text/css; charset=utf-8")});
  router.add({http::verb::get,
              "/static/app.js",
              Access::Public,
              {},
              serve(assets::k_app_js, "text/javascript; charset=utf-8")});
}

}  // namespace nanbyo::web
