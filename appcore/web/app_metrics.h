// nanbyo-appcore's own Prometheus metrics (issue 17, O-2): logins, imports, forms registered,
// answers by status class and errors, the request duration; served on `metrics-listen`
// (loopback, default 127.0.0.1:9852) by metrics/http_listener.h. Counted with relaxed
// atomics from the worker threads; rendered with metrics/exposition.h. docs/metrics.md
// lists them.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "metrics/histogram.h"
#include "pki/audit/audit_sink.h"
#include "pki/audit/illicit_operations.h"

namespace nanbyo::web {

enum class ImportKind : std::size_t { DoctorsCsv, FormsBatch, FormsPaperXml, kCount };

class AppMetrics {
 public:
  explicit AppMetrics(int64_t start_unix = 0) : start_unix_(start_unix) {}

  void login(bool succeeded) { add(succeeded ? logins_ok_ : logins_failed_); }
  // One import job; `forms` is how many forms it registered (0 for doctors).
  void import(ImportKind kind, bool succeeded, uint64_t forms = 0);
  void form_approved() { add(forms_approved_); }
  // Every answer, by its status; `elapsed` from the request dispatched to its answer built.
  void answered(unsigned status, std::chrono::nanoseconds elapsed);
  void internal_error() { add(internal_errors_); }
  // The illicit-operation alerts of the audit stream (counted by its DetectingSink).
  void show_alerts(const audit::AlertCounts* alerts) { alerts_ = alerts; }
  // The audit sink whose writable() the metrics show, and its count of reported write
  // failures (issue 17); both outlive this.
  void show_audit(const audit::AuditSink* sink, const std::atomic<uint64_t>* failures) {
    audit_ = sink;
    audit_failures_ = failures;
  }

  std::string render() const;  // Prometheus text format 0.0.4

 private:
  static void add(std::atomic<uint64_t>& counter) {
    counter.fetch_add(1, std::memory_order_relaxed);
  }

  static constexpr std::size_t kImportKinds = static_cast<std::size_t>(ImportKind::kCount);
  const int64_t start_unix_;
  std::atomic<uint64_t> logins_ok_{0}, logins_failed_{0};
  std::array<std::atomic<uint64_t>, kImportKinds> imports_ok_{}, imports_failed_{};
  std::array<std::atomic<uint64_t>, kImportKinds> forms_imported_{};
  std::atomic<uint64_t> forms_approved_{0};
  std::array<std::atomic<uint64_t>, 5> responses_{};  // 1xx .. 5xx
  std::atomic<uint64_t> internal_errors_{0};
  metrics::Histogram request_seconds_;
  const audit::AlertCounts* alerts_ = nullptr;
  const audit::AuditSink* audit_ = nullptr;
  const std::atomic<uint64_t>* audit_failures_ = nullptr;
};

}  // namespace nanbyo::web
