// VPN allow-rule ports: one port or an ascending range, 1-65535.
#include <catch2/catch.hpp>

#include "policy/net/port_range.h"

using namespace nanbyo::net;

TEST_CASE("ports and ranges parse", "[ports]") {
  CHECK(*PortRange::parse("443") == PortRange{443, 443});
  CHECK(*PortRange::parse("8000-8100") == PortRange{8000, 8100});
  CHECK(*PortRange::parse("1-65535") == PortRange{1, 65535});
  CHECK(PortRange{}.contains(0));
  CHECK(PortRange{}.contains(65535));
  CHECK(PortRange::parse("8000-8100")->contains(8050));
  CHECK_FALSE(PortRange::parse("8000-8100")->contains(8101));
}

TEST_CASE("bad ports are refused without repeating the text", "[ports]") {
  for (const char* bad :
       {"", "0", "65536", "9000-80", "-1", "80-", "+80", "080x", "1-2-3", "123456"}) {
    INFO(bad);
    auto parsed = PortRange::parse(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message == "expected a port (1-65535) or a range \"first-last\"");
  }
}
