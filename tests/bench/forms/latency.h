// Part a of the forms benchmark: check + auto-calculation + judgment of one
// form, the FormService::evaluate call the web form runs on every save.
#pragma once

#include <cstddef>

#include "appcore/core/forms_api.h"

namespace nanbyo::bench {

struct LatencyOptions {
  std::size_t iterations = 2000;  // timed calls per form
  std::size_t warmup = 200;       // untimed calls first (caches, allocator)
};

// Prints p50/p99/max per disease (a complete form and one with entry errors),
// overall, and CPU time per form. Returns false if a sample form is wrong.
bool run_latency(const appcore::FormService& service, const LatencyOptions& options);

}  // namespace nanbyo::bench
