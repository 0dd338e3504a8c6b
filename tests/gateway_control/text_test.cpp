// What nanbyoctl and the service do with text: ages people read, aligned
// tables with Japanese names, and strings D-Bus accepts.
#include <catch2/catch.hpp>

#include "gateway/contract/dbus_text.h"
#include "gateway/ctl/render.h"

using namespace nanbyo;

TEST_CASE("ages read as people say them", "[nanbyoctl]") {
  CHECK(ctl::human_age(0) == "0s");
  CHECK(ctl::human_age(-3) == "0s");
  CHECK(ctl::human_age(59.9) == "59s");
  CHECK(ctl::human_age(192) == "3m12s");
  CHECK(ctl::human_age(3600) == "1h00m");
  CHECK(ctl::human_age(7500) == "2h05m");
  CHECK(ctl::human_age(3 * 86400 + 4 * 3600 + 5) == "3d04h");
}

TEST_CASE("tables align wide Japanese characters as two columns", "[nanbyoctl]") {
  auto table = ctl::render_table({{"TERMINAL"}, {"BYTES", true}},
                                 {{"受付-01", "5"}, {"pc", "12345"}, {"", "0"}});
  CHECK(table ==
        "TERMINAL  BYTES\n"
        "受付-01       5\n"
        "pc        12345\n"
        "-             0\n");
}

TEST_CASE("D-Bus text: valid UTF-8 passes, anything else becomes '?'", "[dbus]") {
  CHECK(gw::dbus::dbus_safe("uketsuke-01") == "uketsuke-01");
  CHECK(gw::dbus::dbus_safe("難病・小慢") == "難病・小慢");
  CHECK(gw::dbus::dbus_safe(std::string("a\0b", 3)) == "a?b");
  CHECK(gw::dbus::dbus_safe("\xc0\xaf") == "??");            // overlong '/'
  CHECK(gw::dbus::dbus_safe("\xed\xa0\x80") == "???");       // surrogate
  CHECK(gw::dbus::dbus_safe("\xe3\x81") == "??");            // cut short
  CHECK(gw::dbus::dbus_safe("\xf4\x90\x80\x80") == "????");  // above U+10FFFF
}
