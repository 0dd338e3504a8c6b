// What operators type is checked before it reaches a certificate.
#include <catch2/catch.hpp>

#include "pki/clock.h"
#include "pki/encoding.h"
#include "pki/names.h"

using namespace nanbyo;
using namespace nanbyo::pki;

TEST_CASE("医療機関番号 is exactly ten digits", "[names]") {
  CHECK(validate_hospital_number("1310000001").ok());
  for (auto bad : {"", "131000000", "13100000011", "131000000a", "１３１０００００01"}) {
    INFO(bad);
    CHECK_FALSE(validate_hospital_number(bad).ok());
  }
}

TEST_CASE("terminal names are short and safe in file names", "[names]") {
  CHECK(validate_terminal_name("uketsuke-01").ok());
  CHECK(validate_terminal_name("PC_2.a").ok());
  for (auto bad : {"", "../etc", "a/b", "pc 01", "端末", "123456789012345678901234567890123"}) {
    INFO(bad);
    CHECK_FALSE(validate_terminal_name(bad).ok());
  }
}

TEST_CASE("serials normalise to upper-case hex without separators", "[names]") {
  CHECK(normalize_serial("0a:bc:DE").value() == "ABCDE");
  CHECK(normalize_serial("00").value() == "0");
  CHECK_FALSE(normalize_serial("").ok());
  CHECK_FALSE(normalize_serial("12g4").ok());
  CHECK_FALSE(normalize_serial(std::string(41, 'A')).ok());
}

TEST_CASE("UTC timestamps round-trip and reject impossible dates", "[clock]") {
  TimePoint t;
  REQUIRE(parse_utc("2026-11-23T09:00:00Z", t));
  CHECK(format_utc(t) == "2026-11-23T09:00:00Z");
  CHECK_FALSE(parse_utc("2026-13-01T00:00:00Z", t));
  CHECK_FALSE(parse_utc("2026-11-23 09:00:00", t));
  CHECK_FALSE(parse_utc("2026-11-23T09:00:00Zjunk", t));
}

TEST_CASE("Base64 decoding is strict", "[encoding]") {
  std::string out;
  CHECK(from_base64(to_base64("ab"), out));
  CHECK(out == "ab");
  CHECK(from_base64(to_base64(std::string(32, '\xff')), out));
  CHECK(out.size() == 32);
  CHECK_FALSE(from_base64("abc", out));
  CHECK_FALSE(from_base64("ab!=", out));
}
