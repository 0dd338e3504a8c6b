// HTTP hygiene at the edge: what nginx refuses, the gateway refuses (issue 14).
#include "gateway/stages/http_hygiene.h"

#include "gateway/stages/host_header.h"
#include "tests/gateway_unit/stage_fixture.h"

using namespace nanbyo;
using namespace nanbyo::gw;
using nanbyo::gw::testing::StageCase;

namespace {

StageVerdict hygiene(StageCase& c) {
  auto view = c.view();
  return HttpHygiene().run(view);
}

}  // namespace

TEST_CASE("HTTP/1.1 needs exactly one valid Host", "[stages]") {
  StageCase ok(http::verb::get, "/");
  CHECK(hygiene(ok).proceed);

  StageCase none(http::verb::get, "/");
  none.request.erase(http::field::host);
  auto v = hygiene(none);
  CHECK(v.status == http::status::bad_request);
  CHECK(v.check == "bad-host");
  CHECK(v.close);

  StageCase two(http::verb::get, "/");
  two.request.insert(http::field::host, "evil.example");
  CHECK(hygiene(two).check == "bad-host");

  StageCase old(http::verb::get, "/");
  old.request.version(10);
  old.request.erase(http::field::host);
  CHECK(hygiene(old).proceed);  // HTTP/1.0 may leave it out
}

TEST_CASE("Host values", "[stages]") {
  for (auto good : {"gw.example.jp", "gw.example.jp:8443", "127.0.0.1", "127.0.0.1:443", "[::1]",
                    "[::1]:8443", "localhost"}) {
    INFO(good);
    CHECK(valid_host_header(good));
  }
  for (auto bad : {"", " ", "gw.example.jp:", "gw.example.jp:99999", "gw example", "a/b", "[::1",
                   "[::1]x", "gw..example", ".gw", "gw.example.jp:443:443", "user@gw", "[::1]:"}) {
    INFO(bad);
    CHECK_FALSE(valid_host_header(bad));
  }
}

TEST_CASE("only a single chunked Transfer-Encoding, never with Content-Length", "[stages]") {
  StageCase chunked(http::verb::post, "/");
  chunked.request.set(http::field::transfer_encoding, "chunked");
  CHECK(hygiene(chunked).proceed);
  for (auto value : {"gzip, chunked", "chunked, chunked", "identity", "x"}) {
    INFO(value);
    StageCase c(http::verb::post, "/");
    c.request.set(http::field::transfer_encoding, value);
    auto v = hygiene(c);
    CHECK(v.check == "bad-transfer-encoding");
    CHECK(v.close);
  }
  StageCase two(http::verb::post, "/");
  two.request.insert(http::field::transfer_encoding, "chunked");
  two.request.insert(http::field::transfer_encoding, "chunked");
  CHECK(hygiene(two).check == "bad-transfer-encoding");
  StageCase both(http::verb::post, "/");
  both.request.set(http::field::transfer_encoding, "chunked");
  both.request.set(http::field::content_length, "5");
  CHECK(hygiene(both).check == "bad-transfer-encoding");
}

TEST_CASE("TRACE and TRACK are refused", "[stages]") {
  StageCase trace(http::verb::trace, "/");
  trace.request.body() = "a body TRACE may not have";
  auto v = hygiene(trace);
  CHECK(v.status == http::status::method_not_allowed);
  CHECK(v.close);
  StageCase track(http::verb::unknown, "/");
  track.request.method_string("TRACK");
  CHECK(hygiene(track).status == http::status::method_not_allowed);
}

TEST_CASE("header names with an underscore are dropped and noted", "[stages]") {
  StageCase c(http::verb::get, "/");
  c.request.insert("X_Client_DN", "CN=forged");
  c.request.insert("x_nanbyo_hospital", "9999999999");
  c.request.insert("Accept", "text/html");
  auto view = c.view();
  CHECK(HttpHygiene().run(view).proceed);
  CHECK(c.request.find("X_Client_DN") == c.request.end());
  CHECK(c.request.find("x_nanbyo_hospital") == c.request.end());
  CHECK(c.request["Accept"] == "text/html");
  CHECK(view.dropped == std::vector<std::string>{"X_Client_DN", "x_nanbyo_hospital"});
}

TEST_CASE("the chains run their stages in order and stop at a refusal", "[stages]") {
  StageCase c(http::verb::get, "/%61dmin");
  c.request.insert("X_Remote_User", "admin");
  auto view = c.view();
  CHECK(RequestChain::edge().run(view).proceed);
  auto verdict = RequestChain::proxy().run(view);
  CHECK(verdict.check == "hospital-not-allowed");  // route /admin, hospital 2710000002
  CHECK(c.request.find("X-Nanbyo-Hospital") == c.request.end());  // identity stage not reached
  CHECK(view.dropped == std::vector<std::string>{"X_Remote_User"});
}
