// Only the gateway says who is calling: identity headers from clients never pass.
#include "gateway/stages/identity_headers.h"

#include "gateway/http_wire.h"

#include "tests/gateway_unit/stage_fixture.h"

using namespace nanbyo;
using namespace nanbyo::gw;
using nanbyo::gw::testing::stage_policy;
using nanbyo::gw::testing::StageCase;

TEST_CASE("identity headers from the client are replaced by the verified ones", "[stages]") {
  StageCase c(http::verb::get, "/x");
  c.request.set("X-Nanbyo-Hospital", "9999999999");
  c.request.set("X-Nanbyo-Cert-Serial", "FORGED");
  c.request.set("X-Forwarded-For", "10.9.9.9");
  c.request.set("X-Nanbyo-Session", "user=admin; issued=1");
  c.request.set("X-Secret-Hop", "drop me");
  c.request.set(http::field::connection, "X-Secret-Hop");
  auto view = c.view();
  CHECK(IdentityHeaders().run(view).proceed);
  CHECK(c.added("X-Nanbyo-Hospital") == "2710000002");
  CHECK(c.added("X-Nanbyo-Cert-Serial") == "ABCDEF");
  CHECK(c.added("X-Nanbyo-Terminal") == "pc01");
  CHECK(c.added("X-Forwarded-For") == "127.0.0.1");
  CHECK(c.added("X-Request-Id") == "req-1");
  CHECK(c.request.find("X-Nanbyo-Session") == c.request.end());
  CHECK(c.request.find("X-Secret-Hop") == c.request.end());
  // The verified identity is added once, only by the gateway.
  for (auto name : {"X-Nanbyo-Hospital", "X-Nanbyo-Cert-Serial", "X-Forwarded-For"}) {
    INFO(name);
    CHECK(c.request.find(name) == c.request.end());
  }
  std::string wire;
  REQUIRE(serialize_header(c.request, wire, c.added_fields));
  CHECK(wire.find("X-Nanbyo-Hospital: 2710000002\r\n") != std::string::npos);
  CHECK(wire.find("9999999999") == std::string::npos);
  CHECK(wire.find("10.9.9.9") == std::string::npos);
  CHECK(wire.ends_with("\r\n\r\n"));
  // Claimed identities are noted for the audit record; X-Forwarded-For is ordinary.
  CHECK(view.dropped ==
        std::vector<std::string>{"X-Nanbyo-Hospital", "X-Nanbyo-Cert-Serial", "X-Nanbyo-Session"});
}

TEST_CASE("the X-Nanbyo- family and the policy's families go in every letter case", "[stages]") {
  const policy::Http http;  // the defaults
  for (auto name : {"X-Nanbyo-Role", "x-nanbyo-anything", "X-NANBYO-USER", "X-Client-DN",
                    "x-client-cert", "X-SSL-Client-S-DN", "x-ssl-client-verify", "SSL-Client-Cert",
                    "X-Forwarded-Client-Cert", "Client-Cert", "Remote-User", "X-REMOTE-USER",
                    "X-Forwarded-User", "X-Auth-Request-Email", "X-Real-Ip", "forwarded"}) {
    INFO(name);
    CHECK(is_identity_header(name, http));
  }
  for (auto name : {"Accept", "Cookie", "X-Requested-With", "Content-Type", "X-Clientele"}) {
    INFO(name);
    CHECK_FALSE(is_identity_header(name, http));
  }
  // An operator's list replaces the defaults; the X-Nanbyo- family stays.
  auto own = stage_policy("http: {identity_headers: [X-Hospital-User]}\n");
  CHECK(is_identity_header("x-hospital-user", own->http));
  CHECK(is_identity_header("X-Nanbyo-Hospital", own->http));
  CHECK_FALSE(is_identity_header("X-Client-DN", own->http));
}

TEST_CASE("a client without a certificate carries no identity headers", "[stages]") {
  StageCase c(http::verb::get, "/x");
  c.identity = {};
  c.peer = "[::1]:5000";
  c.request.set("X-Nanbyo-Hospital", "9999999999");
  c.request.set("X-SSL-Client-Serial", "FORGED");
  auto view = c.view();
  IdentityHeaders().run(view);
  CHECK(c.request.find("X-Nanbyo-Hospital") == c.request.end());
  CHECK(c.request.find("X-SSL-Client-Serial") == c.request.end());
  CHECK(c.added("X-Nanbyo-Hospital").empty());
  CHECK(c.added("X-Nanbyo-Cert-Serial").empty());
  CHECK(c.added("X-Forwarded-For") == "::1");
}
