// Uploads run on their own thread so the browser can poll their progress: the
// doctors' bulk registration (ID-2), the XML batch upload (F-9) and the paper
// import (F-11, issue 18). A job's progress and result stay in memory for the
// user and session that started it, until it expires or is replaced: a doctors'
// report holds the initial passwords of the issued rows. A forms upload's
// result is also kept by the FormService (keep_upload: sealed, bound to the
// user and hospital, 30 days), so it outlives the session and a restart.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "appcore/core/app_core.h"
#include "appcore/core/forms_api.h"
#include "appcore/web/app_metrics.h"

namespace nanbyo::web {

struct ImportJob {
  std::string id;
  ImportKind kind = ImportKind::DoctorsCsv;
  std::string owner;         // user id; nobody else may see the job
  std::string session_hash;  // SHA-256 of the session token that started it (progress polls)
  std::atomic<std::size_t> rows_done{0}, rows_total{0};  // rows, or forms of an upload
  std::atomic<int> state{0};                             // 0 running, 1 done, 2 failed

  // Set once when the state leaves "running" (read after state is seen != 0).
  std::optional<appcore::ImportReport> report;    // DoctorsCsv
  std::optional<appcore::ImportOutcome> outcome;  // FormsBatch, FormsPaperXml
  std::optional<Error> error;
};

// What a forms upload job imports.
struct FormUpload {
  ImportKind kind = ImportKind::FormsBatch;  // or FormsPaperXml
  std::string file_name;                     // the paper import's file, for its results
  std::string bytes;
};

// The FormService's name of a forms upload kind: "xml-batch" or "paper".
const char* upload_kind_name(ImportKind kind);

class ImportJobs {
 public:
  explicit ImportJobs(appcore::AppCore& core, AppMetrics* metrics = nullptr)
      : core_(core), metrics_(metrics) {}
  ~ImportJobs();  // waits for running imports (they use the core)

  // Starts the import of `file` for `who`; the job id (random, unguessable).
  std::string start(const appcore::Principal& who, const std::string& session_token,
                    std::string file);
  // Starts a forms upload on `forms`, which must outlive this object.
  std::string start_forms(appcore::FormService& forms, const appcore::Principal& who,
                          const std::string& session_token, FormUpload upload);
  // The job if `user_id` owns it.
  std::shared_ptr<ImportJob> find(const std::string& id, const std::string& user_id) const;
  // The job if it was started with this session token (compared in constant time).
  std::shared_ptr<ImportJob> find_by_session(const std::string& id,
                                             const std::string& session_token) const;

 private:
  using Work = std::function<void(ImportJob&)>;
  std::string launch(ImportKind kind, const appcore::Principal& who,
                     const std::string& session_token, Work work);

  appcore::AppCore& core_;
  AppMetrics* metrics_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<ImportJob>> jobs_;
  std::map<std::string, std::thread> threads_;
};

}  // namespace nanbyo::web
