// Bulk registrations (ID-2) run on their own thread so the browser can poll
// their progress; the report (with the initial passwords of the issued rows)
// stays in memory only, for its owner, until it expires or is replaced.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "appcore/core/app_core.h"
#include "appcore/web/app_metrics.h"

namespace nanbyo::web {

struct ImportJob {
  std::string id;
  std::string owner;         // user id; nobody else may see the job
  std::string session_hash;  // SHA-256 of the session token that started it (progress polls)
  std::atomic<std::size_t> rows_done{0}, rows_total{0};
  std::atomic<int> state{0};  // 0 running, 1 done, 2 failed

  // Set once when the state leaves "running" (read after state is seen != 0).
  std::optional<appcore::ImportReport> report;
  std::optional<Error> error;
};

class ImportJobs {
 public:
  explicit ImportJobs(appcore::AppCore& core, AppMetrics* metrics = nullptr)
      : core_(core), metrics_(metrics) {}
  ~ImportJobs();  // waits for running imports (they hold a core transaction)

  // Starts the import of `file` for `who`; the job id (random, unguessable).
  std::string start(const appcore::Principal& who, const std::string& session_token,
                    std::string file);
  // The job if `user_id` owns it.
  std::shared_ptr<ImportJob> find(const std::string& id, const std::string& user_id) const;
  // The job if it was started with this session token (compared in constant time).
  std::shared_ptr<ImportJob> find_by_session(const std::string& id,
                                             const std::string& session_token) const;

 private:
  appcore::AppCore& core_;
  AppMetrics* metrics_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<ImportJob>> jobs_;
  std::map<std::string, std::thread> threads_;
};

}  // namespace nanbyo::web
