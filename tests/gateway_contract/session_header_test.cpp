// The session header appcore writes is the one the gateway reads (S-8: a revoked user's older
// sessions are refused), and nothing else reads as one.
#include <catch2/catch.hpp>

#include "gateway/contract/session_header.h"

using namespace nanbyo::contract;

TEST_CASE("a session claim survives format and parse", "[contract]") {
  const SessionClaim claim{"A0000001", 1764662400};
  const std::string value = format_session_header(claim);
  CHECK(value == "user=A0000001; issued=1764662400");
  CHECK(parse_session_header(value) == claim);
  CHECK(parse_session_header("user=u; issued=0") == SessionClaim{"u", 0});
}

TEST_CASE("anything but the exact format is no session", "[contract]") {
  for (const char* bad : {
           "",
           "user=; issued=1",                       // no user
           "user=A1",                               // no time
           "issued=1; user=A1",                     // order
           " user=A1; issued=1",                    // leading space
           "user=A1; issued=0700001000",            // a second spelling of the time
           "user=A1; issued=",                      // empty time
           "user=A1; issued=-5",                    // negative
           "user=A1; issued=+5",                    // signed
           "user=A1; issued=12x",                   // trailing junk
           "user=A1; issued=1; user=B2",            // a second claim
           "user=A 1; issued=1",                    // space in the user
           "user=A1;x; issued=1",                   // ';' in the user
           "user=A1; issued=99999999999999999999",  // beyond int64
           "user=\x01; issued=1",                   // control character
       }) {
    INFO(bad);
    CHECK_FALSE(parse_session_header(bad).has_value());
  }
}
