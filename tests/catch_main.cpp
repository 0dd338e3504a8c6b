// The one Catch2 main of every test executable (nanbyo_catch_main in tests/CMakeLists.txt):
// Catch2 v2's implementation is compiled here once instead of once per executable.
// Set-up an executable needs for the whole run goes in a listener beside its tests
// (tests/appcore_web/curl_global_listener.cpp).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
