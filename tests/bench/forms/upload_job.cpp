#include "tests/bench/forms/upload_job.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "appcore/web/import_jobs.h"
#include "tests/bench/forms/sample_forms.h"

namespace nanbyo::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Samples {
  std::vector<double> session_ms, read_ms, write_ms;
  std::size_t failures = 0;
};

double request_percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100 * (v.size() - 1) + 0.5))];
}

// The other user's requests, one every 10 ms, until `stop`, in turn: the
// session check alone (GET /api/me), with opening a form (GET /api/forms/{id};
// audited) and with saving it again (POST /api/forms/{id}; a write, audited).
// Always the same form, so what they touch does not grow while they run.
Samples observe(appcore::AppCore& core, appcore::FormService& service, const OtherUser& other,
                const std::string& form_id, const std::atomic<bool>& stop) {
  Samples s;
  const auto& def = *service.catalog().find(sample_definitions().front());
  const forms::FormValues draft = sample_form(def, 7);
  for (std::size_t i = 0; !stop.load(); ++i) {
    const auto t0 = Clock::now();
    bool ok = core.resolve_session(other.session_token, other.terminal).ok();
    if (i % 3 == 1)
      ok = ok && service.get(other.principal, form_id).ok();
    else if (i % 3 == 2)
      ok = ok && service.save_draft(other.principal, form_id, def.id, draft).ok();
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    (i % 3 == 0 ? s.session_ms : i % 3 == 1 ? s.read_ms : s.write_ms).push_back(ms);
    s.failures += ok ? 0 : 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return s;
}

void print_row(const char* name, const std::vector<double>& v) {
  std::printf("  %-34s %6zu %8.2f %8.2f %8.2f\n", name, v.size(), request_percentile(v, 50),
              request_percentile(v, 99), v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()));
}

void print(const char* when, const Samples& s) {
  std::vector<double> all = s.session_ms;
  all.insert(all.end(), s.read_ms.begin(), s.read_ms.end());
  all.insert(all.end(), s.write_ms.begin(), s.write_ms.end());
  std::printf(" %s%s\n", when,
              s.failures ? (" (" + std::to_string(s.failures) + " failed)").c_str() : "");
  print_row("session only (as GET /api/me)", s.session_ms);
  print_row("read (session + open a form)", s.read_ms);
  print_row("write (save the form)", s.write_ms);
  print_row("all", all);
}

}  // namespace

bool run_upload_job(appcore::AppCore& core, appcore::FormService& service,
                    const appcore::Principal& doctor, const std::string& session_token,
                    const std::string& sealed, const OtherUser& other,
                    std::size_t expected_imported, double alone_seconds) {
  std::printf("\n== c. the .nbx uploaded as a job while another user works (issue 18)\n");
  std::printf("  %-34s %6s %8s %8s %8s\n", "another user's requests (ms)", "n", "p50", "p99",
              "max");
  const auto& def = *service.catalog().find(sample_definitions().front());
  auto draft = service.save_draft(other.principal, "", def.id, sample_form(def, 7));
  if (!draft) return std::fprintf(stderr, "draft: %s\n", draft.error().message.c_str()), false;
  const std::string form_id = draft->form_id;
  std::atomic<bool> stop{false};
  std::thread timer([&] {
    std::this_thread::sleep_for(std::chrono::duration<double>(alone_seconds));
    stop.store(true);
  });
  const Samples alone = observe(core, service, other, form_id, stop);
  timer.join();
  print("alone", alone);

  web::ImportJobs jobs(core);
  stop.store(false);
  Samples during;
  std::thread observer([&] { during = observe(core, service, other, form_id, stop); });
  const auto t0 = Clock::now();
  web::FormUpload upload;
  upload.bytes = sealed;
  const std::string id = jobs.start_forms(service, doctor, session_token, std::move(upload));
  auto job = jobs.find(id, doctor.user_id);
  while (job->state.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const double job_s = std::chrono::duration<double>(Clock::now() - t0).count();
  stop.store(true);
  observer.join();
  print("during the upload job", during);
  if (job->state.load() != 1)
    return std::fprintf(stderr, "the job failed: %s\n", job->error->message.c_str()), false;
  const auto& o = *job->outcome;
  std::printf("  job: %zu forms in %.2f s (%.0f forms/s): imported %zu, failed %zu, already %zu\n",
              o.items.size(), job_s, o.items.size() / job_s, o.imported, o.failed, o.already);
  if (o.imported != expected_imported || alone.failures || during.failures)
    return std::fprintf(stderr, "unexpected: imported %zu, expected %zu\n", o.imported,
                        expected_imported),
           false;
  return true;
}

}  // namespace nanbyo::bench
