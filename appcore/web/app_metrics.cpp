#include "appcore/web/app_metrics.h"

#include <string_view>

#include "metrics/exposition.h"
#include "service/version.h"

namespace nanbyo::web {
namespace {

using metrics::Type;

constexpr std::array<std::string_view, 3> kImportNames{"doctors-csv", "forms-batch",
                                                       "forms-paper-xml"};
constexpr std::array<std::string_view, 5> kStatusClasses{"1xx", "2xx", "3xx", "4xx", "5xx"};

uint64_t read(const std::atomic<uint64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

}  // namespace

void AppMetrics::import(ImportKind kind, bool succeeded, uint64_t forms) {
  const auto i = static_cast<std::size_t>(kind);
  add(succeeded ? imports_ok_[i] : imports_failed_[i]);
  forms_imported_[i].fetch_add(forms, std::memory_order_relaxed);
}

void AppMetrics::answered(unsigned status, std::chrono::nanoseconds elapsed) {
  if (status >= 100 && status < 600) add(responses_[status / 100 - 1]);
  request_seconds_.observe(elapsed);
}

std::string AppMetrics::render() const {
  metrics::TextWriter out;
  out.family("nanbyo_appcore_logins_total", Type::Counter,
             "Password logins, by outcome (failure: wrong password, locked, unknown user).");
  out.sample("nanbyo_appcore_logins_total", {{"outcome", "success"}}, read(logins_ok_));
  out.sample("nanbyo_appcore_logins_total", {{"outcome", "failure"}}, read(logins_failed_));
  out.family("nanbyo_appcore_imports_total", Type::Counter,
             "Import jobs (doctors' CSV, sealed form batches, paper XML), by kind and outcome.");
  for (std::size_t i = 0; i < kImportKinds; ++i) {
    out.sample("nanbyo_appcore_imports_total", {{"kind", kImportNames[i]}, {"outcome", "success"}},
               read(imports_ok_[i]));
    out.sample("nanbyo_appcore_imports_total", {{"kind", kImportNames[i]}, {"outcome", "failure"}},
               read(imports_failed_[i]));
  }
  out.family("nanbyo_appcore_forms_registered_total", Type::Counter,
             "Clinical forms registered: approved one by one, or imported in a batch or from XML.");
  out.sample("nanbyo_appcore_forms_registered_total", {{"via", "approval"}}, read(forms_approved_));
  for (std::size_t i = 1; i < kImportKinds; ++i) {
    out.sample("nanbyo_appcore_forms_registered_total", {{"via", kImportNames[i]}},
               read(forms_imported_[i]));
  }
  out.family("nanbyo_appcore_http_responses_total", Type::Counter,
             "Answers to requests from the gateway, by status class.");
  for (std::size_t i = 0; i < responses_.size(); ++i) {
    out.sample("nanbyo_appcore_http_responses_total", {{"code", kStatusClasses[i]}},
               read(responses_[i]));
  }
  out.counter("nanbyo_appcore_internal_errors_total",
              "Requests whose handler failed unexpectedly (answered 500).", read(internal_errors_));
  out.family("nanbyo_appcore_request_duration_seconds", Type::Histogram,
             "Time from a request dispatched to its answer built (worker thread).");
  out.histogram("nanbyo_appcore_request_duration_seconds", {}, request_seconds_.snapshot());
  out.family("nanbyo_appcore_illicit_operations_total", Type::Counter,
             "Illicit-operation alerts raised over the appcore's audit stream, by rule.");
  for (std::size_t i = 0; i < audit::kIllicitOperationRules.size(); ++i) {
    out.sample("nanbyo_appcore_illicit_operations_total",
               {{"rule", std::string(audit::kIllicitOperationRules[i])}},
               alerts_ ? alerts_->at(i) : uint64_t{0});
  }
  out.gauge("nanbyo_appcore_audit_writable",
            "1 while the audit log takes records, 0 after a failed write until one succeeds.",
            audit_ == nullptr || audit_->writable() ? 1.0 : 0.0);
  out.counter("nanbyo_appcore_audit_write_failures_total",
              "Failed audit-log writes (each refused or went on unaudited per audit-on-failure).",
              audit_failures_ ? read(*audit_failures_) : uint64_t{0});
  out.family("nanbyo_appcore_build_info", Type::Gauge, "The appcore's version; always 1.");
  out.sample("nanbyo_appcore_build_info", {{"version", service::version()}}, uint64_t{1});
  out.gauge("nanbyo_appcore_start_time_seconds", "When nanbyo-appcore started, Unix time.",
            static_cast<double>(start_unix_));
  return out.take();
}

}  // namespace nanbyo::web
