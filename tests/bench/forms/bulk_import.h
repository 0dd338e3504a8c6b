// Part b of the forms benchmark: 10,000 XML files through the real
// nanbyo-check (a child process) and the upload of its .nbx batch through
// FormService::import_batch (what the web upload route calls).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "appcore/core/forms_api.h"

namespace nanbyo::bench {

struct BulkOptions {
  std::size_t forms = 10'000;
  std::filesystem::path check_tool;  // the built nanbyo-check
  std::filesystem::path key_file;    // the uploading doctor's .nbkey
  std::filesystem::path work_dir;    // xml/ and out/ are made here
  double goal_seconds = 10.0;
  // When set, stop after nanbyo-check: the .nbx and the forms it should import
  // go here for part c (upload_job.h) instead of the direct upload.
  std::string* sealed_out = nullptr;
  std::size_t* expected_imported_out = nullptr;
};

// Returns false when a count differs from what was generated or a step fails.
bool run_bulk_import(appcore::FormService& service, const appcore::Principal& doctor,
                     const BulkOptions& options);

}  // namespace nanbyo::bench
