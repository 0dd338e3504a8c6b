// Part c of the forms benchmark (issue 18): the 10,000-form .nbx of part b
// uploaded as a background job (web/import_jobs.h, what POST /api/forms/imports
// starts) while another user of the hospital keeps working: one request every
// 10 ms, in turn the session check alone (GET /api/me), a read (open a form,
// GET /api/forms/{id}) and a write (save that draft again, POST /api/forms/{id}). Prints their
// p50/p99/max alone and during the job, and the job's duration.
#pragma once

#include <string>

#include "appcore/core/app_core.h"
#include "appcore/core/forms_api.h"

namespace nanbyo::bench {

struct OtherUser {
  std::string session_token;
  appcore::Terminal terminal;
  appcore::Principal principal;
};

// Returns false when the job fails or its counts differ from `expected_imported`.
bool run_upload_job(appcore::AppCore& core, appcore::FormService& service,
                    const appcore::Principal& doctor, const std::string& session_token,
                    const std::string& sealed, const OtherUser& other,
                    std::size_t expected_imported, double alone_seconds = 3.0);

}  // namespace nanbyo::bench
