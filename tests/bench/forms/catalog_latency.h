// Issue 18 benchmark, part a over the whole catalog (F-1, F-4): check +
// calculation + judgment (FormService::evaluate) of forms generated from the
// definitions alone (generic_forms.h), for each disease-specific definition and
// for the common templates instantiated per master disease.
#pragma once

#include <cstddef>

#include "appcore/core/forms_api.h"

namespace nanbyo::bench {

struct CatalogLatencyOptions {
  std::size_t forms_per_definition = 50;  // distinct forms per specific definition
  std::size_t forms_per_disease = 2;      // distinct forms per common-template disease
  std::size_t calls_per_form = 40;        // timed evaluate calls of each form
  std::size_t warmup_calls = 5;           // untimed calls of each form first
  std::size_t common_diseases = 0;        // master diseases per kind on the template; 0: all
};

// Prints p50/p99/max and CPU per form for every specific definition, for the
// common template of each kind (its diseases together) and overall, and how
// many forms the first judgment found Definite (its first outcome). Returns
// false when a definition yields no complete form.
bool run_catalog_latency(const appcore::FormService& service, const CatalogLatencyOptions& options);

}  // namespace nanbyo::bench
