#include "gateway/stages/route_stage.h"

#include "gateway/stages/request_target.h"

namespace nanbyo::gw {

StageVerdict RouteStage::run(RequestView& view) const {
  auto normalized = normalize_target(
      std::string_view(view.request.target().data(), view.request.target().size()));
  if (!normalized) {
    return StageVerdict::refuse(http::status::bad_request, "bad-target",
                                "request target is not a normalized absolute path");
  }
  if (normalized->target != view.request.target()) view.request.target(normalized->target);
  view.route = view.policy.match(view.listener.name, normalized->path);
  if (!view.route) {
    return StageVerdict::refuse(http::status::not_found, "no-route",
                                "no route for " + normalized->path);
  }
  // Without a certificate (client_certificate: optional/none) only routes open to every
  // hospital pass; a hospital list always needs a verified identity.
  const std::string& hospital = view.identity.hospital;
  const bool allowed = hospital.empty() ? view.route->allowed_hospitals.any
                                        : view.policy.allows_hospital(*view.route, hospital);
  if (!allowed) {
    return StageVerdict::refuse(
        http::status::forbidden, "hospital-not-allowed",
        (hospital.empty() ? std::string("a client without certificate") : "hospital " + hospital) +
            " may not use " + view.route->path_prefix);
  }
  return {};
}

}  // namespace nanbyo::gw
