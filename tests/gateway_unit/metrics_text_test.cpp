// The gateway's Prometheus text (issue 17, O-2): labelled families render one series per
// slot, with the names docs/metrics.md lists. tests/prometheus/ lints the live output.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "gateway/metrics_text.h"

using namespace nanbyo;
using namespace nanbyo::gw;

namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

struct RenderedServices {
  Services services;
  RenderedServices() {
    auto policy = std::make_shared<policy::Policy>();
    services.runtime.replace(
        std::make_shared<const Runtime>(Runtime{policy, {}, {}, {}, {}, {}, {}}));
    services.metrics.set_listeners({"hospital", "vpn"});
  }
  std::string text() const { return render_metrics(services); }
};

}  // namespace

TEST_CASE(
    "O-2: refusals render by reason and certificate checks by check, an unknown check as other") {
  RenderedServices s;
  s.services.metrics.refused(RefusalReason::InspectionBlocked);
  s.services.metrics.certificate_refused("revoked");
  s.services.metrics.certificate_refused("revoked");
  s.services.metrics.certificate_refused("a check nobody wrote down");
  const std::string text = s.text();
  CHECK(has_line(text, "nanbyo_gateway_refusals_total{reason=\"inspection-blocked\"} 1"));
  CHECK(has_line(text, "nanbyo_gateway_refusals_total{reason=\"upstream-timeout\"} 0"));
  CHECK(has_line(text, "nanbyo_gateway_certificate_refusals_total{check=\"revoked\"} 2"));
  CHECK(has_line(text, "nanbyo_gateway_certificate_refusals_total{check=\"other\"} 1"));
  CHECK(has_line(text,
                 "nanbyo_gateway_certificate_refusals_total{check=\"hospital-not-allowed\"} 0"));
}

TEST_CASE("O-2: each listener has its own counters and histograms, resolved once by name") {
  RenderedServices s;
  ListenerMetrics& vpn = s.services.metrics.listener("vpn");
  CHECK(&vpn == &s.services.metrics.listener("vpn"));
  vpn.requests.fetch_add(3);
  vpn.request_seconds.observe(std::chrono::milliseconds(2));
  const std::string text = s.text();
  CHECK(has_line(text, "nanbyo_gateway_listener_requests_total{listener=\"vpn\"} 3"));
  CHECK(has_line(text, "nanbyo_gateway_listener_requests_total{listener=\"hospital\"} 0"));
  CHECK(has_line(
      text, "nanbyo_gateway_request_duration_seconds_bucket{listener=\"vpn\",le=\"0.0025\"} 1"));
  CHECK(has_line(text, "nanbyo_gateway_request_duration_seconds_count{listener=\"hospital\"} 0"));
  CHECK(has_line(text, "# TYPE nanbyo_gateway_revocation_close_duration_seconds histogram"));
}

TEST_CASE("O-2: build info, start and last reload (the start until a reload applies)") {
  RenderedServices s;
  s.services.metrics.start_unix = 1796000000;
  CHECK(has_line(s.text(), "nanbyo_gateway_last_reload_success_timestamp_seconds 1796000000"));
  s.services.metrics.last_reload_unix = 1796000600;
  const std::string text = s.text();
  CHECK(has_line(text, "nanbyo_gateway_start_time_seconds 1796000000"));
  CHECK(has_line(text, "nanbyo_gateway_last_reload_success_timestamp_seconds 1796000600"));
  CHECK(text.find("\nnanbyo_gateway_build_info{version=\"") != std::string::npos);
}

TEST_CASE("O-2: the control bus's Statistics() list keeps the unlabelled counters") {
  Metrics m;
  m.requests++;
  bool found = false;
  for (const auto& c : m.counters())
    found = found || (std::string(c.name) == "requests" && c.value == 1);
  CHECK(found);
}
