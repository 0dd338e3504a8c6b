// The gateway's Prometheus text (issue 17, O-2): the counters and histograms of Metrics, and
// the gauges sampled when scraped: connections and tunnels per listener and kind, the VPN
// pool, certificate and CRL dates, build info, start and last reload. The names are listed
// in docs/metrics.md; promtool lints them (tests/prometheus/).
#pragma once

#include <string>

#include "gateway/services.h"

namespace nanbyo::gw {

std::string render_metrics(const Services& services);

}  // namespace nanbyo::gw
