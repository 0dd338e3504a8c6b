#include "appcore/web/import_jobs.h"

#include <openssl/crypto.h>

#include "pki/aead.h"
#include "pki/encoding.h"
#include "pki/random.h"

namespace nanbyo::web {
namespace {

// Finished reports kept per process: a report holds initial passwords in
// memory, so only the last few stay downloadable.
constexpr std::size_t kKeptJobs = 8;

}  // namespace

ImportJobs::~ImportJobs() {
  std::lock_guard lock(mutex_);
  for (auto& [id, thread] : threads_)
    if (thread.joinable()) thread.join();
}

std::string ImportJobs::start(const appcore::Principal& who, const std::string& session_token,
                              std::string file) {
  auto job = std::make_shared<ImportJob>();
  job->id = to_hex(random_bytes(16));
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
  threads_[job->id] = std::thread([this, job, who, file = std::move(file)] {
    auto report = core_.import_doctors(who, file, [&job](std::size_t done, std::size_t total) {
      job->rows_total.store(total);
      job->rows_done.store(done);
    });
    if (metrics_) metrics_->import(ImportKind::DoctorsCsv, report.ok());
    if (report) {
      job->report = std::move(report).value();
      job->rows_done.store(job->report->rows.size());
      job->state.store(1);
    } else {
      job->error = report.error();
      job->state.store(2);
    }
  });
  return job->id;
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
