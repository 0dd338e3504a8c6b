#include "appcore/web/import_jobs.h"

#include <openssl/crypto.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pki/aead.h"
#include "pki/encoding.h"
#include "pki/random.h"

namespace nanbyo::web {
namespace {

// Finished results kept per process: they hold initial passwords or patients'
// names in memory, so only the last few stay shown and downloadable.
constexpr std::size_t kKeptJobs = 16;

// Sets the job's result or error, then its state (readers look at the state first).
template <typename T>
void settle_job(ImportJob& job, Result<T> result, std::optional<T> ImportJob::*slot) {
  if (result) {
    job.*slot = std::move(result).value();
    job.state.store(1);
  } else {
    job.error = result.error();
    job.state.store(2);
  }
}

// Keeps a forms upload's result for its user (FormService::keep_upload). When that
// fails the result is still in memory for the session that started the job.
void keep_upload_result(appcore::FormService& forms, const appcore::Principal& who,
                        const std::string& job_id, const FormUpload& upload,
                        Result<appcore::ImportOutcome>& outcome) {
  appcore::UploadRecord record;
  record.job_id = job_id;
  record.kind = upload_kind_name(upload.kind);
  record.file_name = upload.file_name;
  if (outcome)
    record.outcome = std::move(outcome).value();
  else
    record.error = outcome.error().message;
  auto kept = forms.keep_upload(who, record);
  (void)kept;  // audited by the service on success; memory still holds the result
  if (record.error.empty()) outcome = std::move(record.outcome);
}

// A job runs at nice 10, and so do the threads it starts (an upload stages and
// checkpoints on threads of its own): the scheduler gives a user's request the
// CPU at once, and the job the rest (tests/bench/README.md, "Uploads as jobs").
// Lowering one's own priority needs no privilege.
void yield_to_requests() {
  (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
}

}  // namespace

const char* upload_kind_name(ImportKind kind) {
  return kind == ImportKind::FormsPaperXml ? "paper" : "xml-batch";
}

ImportJobs::~ImportJobs() {
  std::lock_guard lock(mutex_);
  for (auto& [id, thread] : threads_)
    if (thread.joinable()) thread.join();
}

std::string ImportJobs::launch(ImportKind kind, const appcore::Principal& who,
                               const std::string& session_token, Work work) {
  auto job = std::make_shared<ImportJob>();
  job->id = to_hex(random_bytes(16));
  job->kind = kind;
  job->owner = who.user_id;
  job->session_hash = aead::sha256(session_token);
  std::lock_guard lock(mutex_);
  // Forget the oldest finished jobs beyond the limit.
  for (auto it = jobs_.begin(); jobs_.size() >= kKeptJobs && it != jobs_.end();) {
    if (it->second->state.load() == 0) {
      ++it;
      continue;
    }
    if (auto t = threads_.find(it->first); t != threads_.end()) {
      if (t->second.joinable()) t->second.join();
      threads_.erase(t);
    }
    it = jobs_.erase(it);
  }
  jobs_[job->id] = job;
  threads_[job->id] = std::thread([job, work = std::move(work)] {
    yield_to_requests();
    work(*job);
  });
  return job->id;
}

std::string ImportJobs::start(const appcore::Principal& who, const std::string& session_token,
                              std::string file) {
  return launch(ImportKind::DoctorsCsv, who, session_token,
                [this, who, file = std::move(file)](ImportJob& job) {
                  auto report =
                      core_.import_doctors(who, file, [&job](std::size_t done, std::size_t total) {
                        job.rows_total.store(total);
                        job.rows_done.store(done);
                      });
                  if (metrics_) metrics_->import(ImportKind::DoctorsCsv, report.ok());
                  if (report) job.rows_done.store(report->rows.size());
                  settle_job(job, std::move(report), &ImportJob::report);
                });
}

std::string ImportJobs::start_forms(appcore::FormService& forms, const appcore::Principal& who,
                                    const std::string& session_token, FormUpload upload) {
  const ImportKind kind = upload.kind;
  return launch(
      kind, who, session_token, [this, &forms, who, upload = std::move(upload)](ImportJob& job) {
        auto progress = [&job](std::size_t done, std::size_t total) {
          job.rows_total.store(total);
          job.rows_done.store(done);
        };
        auto outcome = upload.kind == ImportKind::FormsPaperXml
                           ? forms.import_paper_xml(who, upload.file_name, upload.bytes, progress)
                           : forms.import_batch(who, upload.bytes, progress);
        if (metrics_) metrics_->import(upload.kind, outcome.ok(), outcome ? outcome->imported : 0);
        keep_upload_result(forms, who, job.id, upload, outcome);  // before "done" is seen
        settle_job(job, std::move(outcome), &ImportJob::outcome);
      });
}

std::shared_ptr<ImportJob> ImportJobs::find(const std::string& id,
                                            const std::string& user_id) const {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second->owner != user_id) return nullptr;
  return it->second;
}

std::shared_ptr<ImportJob> ImportJobs::find_by_session(const std::string& id,
                                                       const std::string& session_token) const {
  if (session_token.empty()) return nullptr;
  const std::string hash = aead::sha256(session_token);
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return nullptr;
  const std::string& want = it->second->session_hash;
  if (want.size() != hash.size() || CRYPTO_memcmp(want.data(), hash.data(), hash.size()) != 0)
    return nullptr;
  return it->second;
}

}  // namespace nanbyo::web
