// Catch2 main for the appcore/web tests: libcurl is initialised once here, as
// nanbyo-appcore's main() does.
#define CATCH_CONFIG_RUNNER
#include <curl/curl.h>

#include <catch2/catch.hpp>

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int rc = Catch::Session().run(argc, argv);
  curl_global_cleanup();
  return rc;
}
