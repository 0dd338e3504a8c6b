// The pieces of appcore/web that do not need the core: escaping, forms,
// cookies, the gateway's identity headers, listen addresses, and the HTTP
// server's limits over a real loopback connection.
#include <catch2/catch.hpp>
#include <thread>

#include "appcore/web/cookies.h"
#include "appcore/web/form.h"
#include "appcore/web/gateway_identity.h"
#include "appcore/web/html.h"
#include "appcore/web/http_server.h"
#include "appcore/web/responses.h"

using namespace nanbyo::web;

TEST_CASE("text written to Html is escaped, markup only through raw()", "[html]") {
  Html h;
  h << raw("<p>") << "<script>alert('x')</script> & \"q\"" << raw("</p>");
  CHECK(h.str() == "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</p>");
  Html f;
  f.text_field("name", "氏名", "\"><img src=x>");
  CHECK(f.str().find("value=\"&quot;&gt;&lt;img src=x&gt;\"") != std::string::npos);
  CHECK(f.str().find("<label for=\"f-name\">氏名") != std::string::npos);
}

TEST_CASE("url-encoded forms parse strictly", "[form]") {
  auto f = FormData::parse("a=1&b=%E6%B0%8F+%E5%90%8D&c=");
  REQUIRE(f);
  CHECK(f->get("a") == "1");
  CHECK(f->get("b") == "氏 名");
  CHECK(f->get("c").empty());
  CHECK(f->get("missing").empty());
  CHECK_FALSE(FormData::parse("a=%zz"));
  CHECK_FALSE(FormData::parse("a=%4"));
  CHECK_FALSE(FormData::parse("a=1&a=2"));  // ambiguous
  CHECK_FALSE(FormData::parse("a=1&b=2&c=3", 2));
  CHECK(url_encode("a b/ü") == "a%20b%2F%C3%BC");
  auto t = split_target("/doctors?x=1");
  CHECK(t.path == "/doctors");
  CHECK(t.query == "x=1");
}

TEST_CASE("cookies: one value per name, a duplicate is refused", "[cookies]") {
  Request r;
  r.insert(http::field::cookie, "a=1; __Host-nanbyo-session=abc ; b=2");
  CHECK(cookie_value(r, kSessionCookie) == std::optional<std::string>("abc"));
  CHECK_FALSE(cookie_value(r, "zzz"));
  r.insert(http::field::cookie, "__Host-nanbyo-session=evil");
  CHECK_FALSE(cookie_value(r, kSessionCookie));
  const auto set = set_cookie(kSessionCookie, "tok");
  for (const char* attr : {"Path=/", "Secure", "HttpOnly", "SameSite=Strict"})
    CHECK(set.find(attr) != std::string::npos);
  CHECK(set.find("Domain") == std::string::npos);
  CHECK(clear_cookie(kSessionCookie).find("Max-Age=0") != std::string::npos);
}

namespace {
Request from_gateway() {
  Request r{http::verb::get, "/", 11};
  r.set("X-Nanbyo-Listener", "hospital");
  r.set("X-Request-Id", "w1-42");
  r.set("X-Forwarded-For", "192.0.2.7");
  r.set("X-Forwarded-Proto", "https");
  r.set("X-Nanbyo-Cert-Serial", "0A1B");
  r.set("X-Nanbyo-Hospital", "1310000001");
  r.set("X-Nanbyo-Terminal", "uketsuke-01");
  return r;
}
}  // namespace

TEST_CASE("gateway identity headers are read only from a trusted transport", "[identity]") {
  auto id = read_gateway_identity(from_gateway(), true);
  REQUIRE(id.ok());
  CHECK(id->hospital == "1310000001");
  CHECK(id->terminal == "uketsuke-01");
  CHECK(id->request_id == "w1-42");
  CHECK(id->has_certificate());

  CHECK_FALSE(read_gateway_identity(from_gateway(), false).ok());
  for (const char* name :
       {"X-Nanbyo-Listener", "X-Request-Id", "X-Forwarded-For", "X-Forwarded-Proto"}) {
    auto r = from_gateway();
    r.erase(name);
    auto refused = read_gateway_identity(r, true);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message == std::string("missing gateway header ") + name);
  }
  auto twice = from_gateway();
  twice.insert("X-Nanbyo-Hospital", "2710000002");
  CHECK_FALSE(read_gateway_identity(twice, true).ok());
  auto plain = from_gateway();
  plain.set("X-Forwarded-Proto", "http");
  CHECK_FALSE(read_gateway_identity(plain, true).ok());
  auto no_cert = from_gateway();
  no_cert.erase("X-Nanbyo-Cert-Serial");
  no_cert.set("X-Nanbyo-Hospital", "");
  auto anonymous = read_gateway_identity(no_cert, true);
  REQUIRE(anonymous.ok());
  CHECK_FALSE(anonymous->has_certificate());
}

TEST_CASE("listen addresses: a UNIX socket or loopback only", "[server]") {
  CHECK(ListenAddress::parse("unix:/run/nanbyo/appcore.sock")->is_unix);
  CHECK(ListenAddress::parse("127.0.0.1:8080")->port == 8080);
  CHECK(ListenAddress::parse("[::1]:0").ok());
  CHECK_FALSE(ListenAddress::parse("0.0.0.0:8080").ok());
  CHECK_FALSE(ListenAddress::parse("192.0.2.1:8080").ok());
  CHECK_FALSE(ListenAddress::parse("unix:relative").ok());
  CHECK_FALSE(ListenAddress::parse("127.0.0.1:99999").ok());
}

namespace {

class Echo final : public HttpHandler {
 public:
  std::size_t body_limit(const Request&) const override { return 64; }
  awaitable<Response> handle(Request request, Peer peer) override {
    Response res =
        json_response(http::status::ok, {{"trusted", peer.trusted}, {"body", request.body()}});
    co_return res;
  }
};

// One request on a fresh connection; the raw response text.
std::string round_trip(unsigned short port, const std::string& raw) {
  asio::io_context io;
  asio::ip::tcp::socket s(io);
  s.connect({asio::ip::make_address("127.0.0.1"), port});
  asio::write(s, asio::buffer(raw));
  std::string out;
  beast::error_code ec;
  char buf[4096];
  for (;;) {
    std::size_t n = s.read_some(asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec || out.find("\r\n\r\n") != std::string::npos) break;
  }
  return out;
}

}  // namespace

TEST_CASE("the HTTP server enforces header and body limits", "[server]") {
  asio::io_context io;
  Echo echo;
  HttpLimits limits;
  limits.max_header_bytes = 1024;
  auto server = HttpServer::bind(io, *ListenAddress::parse("127.0.0.1:0"), limits, echo);
  REQUIRE(server.ok());
  (*server)->start();
  std::thread loop([&io] { io.run(); });
  const auto address = (*server)->local_address();
  const auto port = static_cast<unsigned short>(std::stoul(address.substr(address.rfind(':') + 1)));

  auto ok = round_trip(
      port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  CHECK(ok.starts_with("HTTP/1.1 200"));
  auto big_header = round_trip(
      port, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");
  CHECK(big_header.starts_with("HTTP/1.1 431"));
  auto big_body = round_trip(
      port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'b'));
  CHECK(big_body.starts_with("HTTP/1.1 413"));
  CHECK(big_body.find("Content-Security-Policy") != std::string::npos);
  auto garbage = round_trip(port, "NOT HTTP AT ALL\r\n\r\n");
  CHECK(garbage.starts_with("HTTP/1.1 400"));
  io.stop();
  loop.join();
}
