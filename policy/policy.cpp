#include "policy/policy.h"

#include <algorithm>

#include "policy/formats.h"

namespace nanbyo::policy {
namespace {

// "/api" matches "/api" and "/api/x", never "/apix"; "/" matches every path.
bool prefix_matches(std::string_view prefix, std::string_view path) {
  if (!path.starts_with(prefix)) return false;
  return prefix == "/" || path.size() == prefix.size() || path[prefix.size()] == '/';
}

template <typename T>
const T* find_named(const std::vector<T>& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.name == name; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

std::string Endpoint::to_string() const {
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool HospitalAllowList::allows(std::string_view hospital_number) const {
  if (!formats::is_hospital_number(hospital_number)) return false;
  return any || std::find(numbers.begin(), numbers.end(), hospital_number) != numbers.end();
}

const Listener* Policy::find_listener(std::string_view name) const {
  return find_named(listeners, name);
}

const Upstream* Policy::find_upstream(std::string_view name) const {
  return find_named(upstreams, name);
}

const Route* Policy::match(std::string_view listener, std::string_view path) const {
  const Route* best = nullptr;
  for (const auto& route : routes) {
    if (route.listener != listener || !prefix_matches(route.path_prefix, path)) continue;
    if (best == nullptr || route.path_prefix.size() > best->path_prefix.size()) best = &route;
  }
  return best;
}

bool Policy::allows_hospital(const Route& route, std::string_view hospital_number) const {
  const Listener* listener = find_listener(route.listener);
  return listener != nullptr && listener->allowed_hospitals.allows(hospital_number) &&
         route.allowed_hospitals.allows(hospital_number);
}

}  // namespace nanbyo::policy
