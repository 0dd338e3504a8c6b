// Schema migrations of the SQLite store, versioned in code: each runs once, in
// its own transaction, and is recorded in schema_migrations(version, applied_at).
#pragma once

#include <SQLiteCpp/Database.h>

#include "pki/result.h"

namespace nanbyo::appcore::detail {

int latest_schema_version();
// Applies every migration newer than the database's; refuses a database newer than the code.
Result<void> migrate(SQLite::Database& db);

}  // namespace nanbyo::appcore::detail
