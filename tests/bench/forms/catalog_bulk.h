// Issue 18 benchmark, part b over the whole catalog (F-9): 100,000 XML forms
// spread over the master's diseases in files of 1,000, as hospital systems
// export them, through the real nanbyo-check (a child process) and then the
// upload job (web/import_jobs.h, what POST /api/forms/imports starts) into the
// real FormService on SQLite. Beside it, the peer: `xmllint --schema` over the
// same files with the same XSD (the schema validation alone).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "appcore/core/app_core.h"
#include "appcore/core/forms_api.h"

namespace nanbyo::bench {

struct CatalogBulkOptions {
  std::size_t forms = 100'000;
  std::size_t forms_per_file = 1'000;
  std::filesystem::path check_tool;  // the built nanbyo-check
  std::filesystem::path xmllint;     // the peer; empty: not run
  std::filesystem::path key_file;    // the uploading doctor's .nbkey
  std::filesystem::path work_dir;    // xml/, out/ and the XSD are made here
  double goal_seconds = 10.0;
};

// Returns false when a step fails or a count differs from what was generated.
bool run_catalog_bulk(appcore::AppCore& core, appcore::FormService& service,
                      const appcore::Principal& doctor, const std::string& session_token,
                      const CatalogBulkOptions& options);

}  // namespace nanbyo::bench
