// Session cookies are random, bound to the certificate, expire, and die on revocation.
#include <catch2/catch.hpp>

#include <set>

#include "gateway/vpn/session_cookie.h"

using namespace nanbyo;
using namespace nanbyo::vpn;

namespace {

class FakeClock final : public Clock {
 public:
  TimePoint now() const override { return now_; }
  void advance(std::chrono::seconds s) { now_ += s; }

 private:
  TimePoint now_{std::chrono::seconds(1'790'000'000)};
};

}  // namespace

TEST_CASE("an issued cookie is 43 URL-safe characters and finds its session", "[cookie]") {
  FakeClock clock;
  SessionCookieStore store(clock, std::chrono::hours(12));
  auto issued = store.issue("1A2B3C");
  CHECK(issued.cookie.size() == kCookieTextSize);
  CHECK(issued.cookie.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);
  CHECK(issued.session.session_id.size() == 32);
  CHECK(issued.session.expires == clock.now() + std::chrono::hours(12));

  auto found = store.lookup(issued.cookie, "1A2B3C");
  REQUIRE(found.ok());
  CHECK(found->serial == "1A2B3C");
  CHECK(found->session_id == issued.session.session_id);

  std::set<std::string> cookies;
  for (int i = 0; i < 100; ++i) cookies.insert(store.issue("S" + std::to_string(i)).cookie);
  CHECK(cookies.size() == 100);
}

TEST_CASE("unknown, foreign-certificate and expired cookies are refused", "[cookie]") {
  FakeClock clock;
  SessionCookieStore store(clock, std::chrono::seconds(300));
  auto issued = store.issue("1A2B3C");

  auto message = [&](std::string_view cookie, std::string_view serial) {
    auto found = store.lookup(cookie, serial);
    REQUIRE_FALSE(found.ok());
    return found.error().message;
  };
  CHECK(message("not-a-cookie", "1A2B3C") == "unknown or revoked session cookie");
  std::string altered = issued.cookie;
  altered[0] = altered[0] == 'A' ? 'B' : 'A';
  CHECK(message(altered, "1A2B3C") == "unknown or revoked session cookie");
  CHECK(message(issued.cookie, "FFFF") == "session cookie belongs to another certificate");

  clock.advance(std::chrono::seconds(299));
  CHECK(store.lookup(issued.cookie, "1A2B3C").ok());
  clock.advance(std::chrono::seconds(1));
  CHECK(message(issued.cookie, "1A2B3C") == "session cookie expired");
  CHECK(message(issued.cookie, "1A2B3C") == "unknown or revoked session cookie");  // forgotten
  CHECK(store.size() == 0);
}

TEST_CASE("revoking a cookie or a whole certificate ends its sessions", "[cookie]") {
  FakeClock clock;
  SessionCookieStore store(clock, std::chrono::hours(1));
  auto one = store.issue("AAAA");
  auto two = store.issue("AAAA");
  auto other = store.issue("BBBB");
  CHECK(store.revoke(one.cookie));
  CHECK_FALSE(store.revoke(one.cookie));
  CHECK_FALSE(store.lookup(one.cookie, "AAAA").ok());
  CHECK(store.lookup(two.cookie, "AAAA").ok());

  auto three = store.issue("AAAA");
  CHECK(store.revoke_serial("AAAA") == 2);
  CHECK_FALSE(store.lookup(two.cookie, "AAAA").ok());
  CHECK_FALSE(store.lookup(three.cookie, "AAAA").ok());
  CHECK(store.lookup(other.cookie, "BBBB").ok());
  CHECK(store.revoke_serial("AAAA") == 0);
}

TEST_CASE("logins in a loop keep at most max_per_serial cookies, expired ones are purged",
          "[cookie]") {
  FakeClock clock;
  SessionCookieStore store(clock, std::chrono::seconds(60), 3);
  std::vector<IssuedCookie> issued;
  for (int i = 0; i < 10; ++i) {
    issued.push_back(store.issue("LOOP"));
    clock.advance(std::chrono::seconds(1));
  }
  CHECK(store.size() == 3);
  CHECK_FALSE(store.lookup(issued[6].cookie, "LOOP").ok());
  for (int i = 7; i < 10; ++i) CHECK(store.lookup(issued[i].cookie, "LOOP").ok());

  store.issue("OTHER");
  clock.advance(std::chrono::seconds(60));
  CHECK(store.purge_expired() == 4);
  CHECK(store.size() == 0);
}

TEST_CASE("the webvpn cookie is found in a Cookie header and set with Secure", "[cookie]") {
  CHECK(find_webvpn_cookie("webvpn=abc") == std::string_view("abc"));
  CHECK(find_webvpn_cookie("webvpncontext=x; webvpn=abc; other=1") == std::string_view("abc"));
  CHECK(find_webvpn_cookie(" webvpn=") == std::string_view(""));
  CHECK_FALSE(find_webvpn_cookie("webvpncontext=x; xwebvpn=abc").has_value());
  CHECK_FALSE(find_webvpn_cookie("").has_value());

  FakeClock clock;
  SessionCookieStore store(clock, std::chrono::seconds(300));
  auto issued = store.issue("1A");
  CHECK(webvpn_set_cookie(issued) == "webvpn=" + issued.cookie + "; Secure; HttpOnly");
  CHECK(webvpncontext_set_cookie(issued) ==
        "webvpncontext=" + issued.session.session_id + "; Max-Age=300; Secure; HttpOnly");
}
