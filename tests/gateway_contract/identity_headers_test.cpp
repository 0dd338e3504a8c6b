// The names both sides read from the contract: the gateway's own family stays under its
// prefix, so stripping the prefix from client requests also strips every identity it sets.
#include <catch2/catch.hpp>

#include <string_view>

#include "gateway/contract/identity_headers.h"
#include "gateway/contract/session_header.h"

using namespace nanbyo::contract;

TEST_CASE("the X-Nanbyo- names are all under the gateway's prefix", "[contract]") {
  for (std::string_view name :
       {kCertSerialHeader, kHospitalHeader, kTerminalHeader, kListenerHeader, kSessionHeader})
    CHECK(name.starts_with(kGatewayHeaderPrefix));
  CHECK(std::size(kGatewayHeaders) == 7);
  CHECK(std::string_view(kGatewayHeaders[4]) == "X-Request-Id");
}
