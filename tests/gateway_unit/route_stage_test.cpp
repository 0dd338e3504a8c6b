// The route stage: routes on the normalized path and admits only the route's hospitals.
#include "gateway/stages/route_stage.h"

#include "tests/gateway_unit/stage_fixture.h"

using namespace nanbyo;
using namespace nanbyo::gw;
using nanbyo::gw::testing::StageCase;

TEST_CASE("routing refuses unknown paths and hospitals a route does not admit", "[stages]") {
  StageCase c(http::verb::get, "/tokyo/forms");
  c.identity.hospital = "1310000001";
  auto view = c.view();
  CHECK(RouteStage().run(view).proceed);
  REQUIRE(view.route != nullptr);
  CHECK(view.route->path_prefix == "/tokyo");

  c.identity.hospital = "2710000002";
  auto other = c.view();
  auto refused = RouteStage().run(other);
  CHECK_FALSE(refused.proceed);
  CHECK(refused.status == http::status::forbidden);
  CHECK(refused.check == "hospital-not-allowed");

  StageCase crafted(http::verb::get, "/x/../tokyo/forms");
  auto crafted_view = crafted.view();
  CHECK(RouteStage().run(crafted_view).status == http::status::bad_request);
}

TEST_CASE("an encoded path meets the route it spells and reaches the upstream decoded",
          "[stages]") {
  StageCase c(http::verb::get, "/%61dmin/users?x=1");  // hospital 2710000002
  auto view = c.view();
  auto verdict = RouteStage().run(view);
  CHECK_FALSE(verdict.proceed);
  CHECK(verdict.check == "hospital-not-allowed");  // route /admin, not route /

  c.identity.hospital = "1310000001";
  auto allowed = c.view();
  CHECK(RouteStage().run(allowed).proceed);
  CHECK(c.request.target() == "/admin/users?x=1");
}

TEST_CASE("a client without certificate passes only routes open to every hospital", "[stages]") {
  StageCase open_route(http::verb::get, "/forms");
  open_route.identity = {};
  auto view = open_route.view();
  CHECK(RouteStage().run(view).proceed);
  StageCase listed(http::verb::get, "/tokyo/forms");
  listed.identity = {};
  auto listed_view = listed.view();
  CHECK(RouteStage().run(listed_view).check == "hospital-not-allowed");
}
