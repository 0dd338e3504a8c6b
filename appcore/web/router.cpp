#include "appcore/web/router.h"

namespace nanbyo::web {
namespace {

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool matches(const std::string& pattern, const std::string& path,
             std::map<std::string, std::string>& params) {
  auto want = segments(pattern), have = segments(path);
  if (want.size() != have.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (have[i].empty()) return false;
      params[w.substr(1, w.size() - 2)] = have[i];
    } else if (w != have[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::add(Route route) {
  routes_.push_back(std::move(route));
}

RouteMatch Router::match(http::verb method, const std::string& path) const {
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!matches(route.pattern, path, params)) continue;
    result.path_known = true;
    // HEAD is answered like GET (the server drops the body).
    if (route.method == method || (method == http::verb::head && route.method == http::verb::get)) {
      result.route = &route;
      result.params = std::move(params);
      return result;
    }
  }
  return result;
}

}  // namespace nanbyo::web
