// libcurl is initialised once for the whole run, as nanbyo-appcore's main() does. A listener
// rather than a main of its own, so this executable links the shared Catch2 main too.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include <curl/curl.h>

#include <catch2/catch.hpp>

namespace {

struct CurlGlobal : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void testRunStarting(Catch::TestRunInfo const& info) override {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TestEventListenerBase::testRunStarting(info);
  }
  void testRunEnded(Catch::TestRunStats const& stats) override {
    TestEventListenerBase::testRunEnded(stats);
    curl_global_cleanup();
  }
};

}  // namespace

CATCH_REGISTER_LISTENER(CurlGlobal)
