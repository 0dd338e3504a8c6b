// Schema migrations of the SQLite store, versioned in code: each runs once, in
// its own transaction, and is recorded in schema_migrations(version, applied_at).
#pragma once

#include <SQLiteCpp/Database.h>

#include <span>
#include <string>

#include "pki/result.h"

namespace nanbyo::appcore::detail {

struct Migration {
  int version;
  const char* sql;
};

// The runner both migration lists use (users here, forms in forms_migrations.cpp):
// creates `table`(version, applied_at), refuses a database newer than `migrations`,
// then applies each newer migration in its own transaction. `what` names the list
// in messages ("database schema", "forms tables").
Result<void> apply_migrations(SQLite::Database& db, const std::string& table,
                              std::span<const Migration> migrations, const std::string& what);

int latest_schema_version();
// Applies every migration newer than the database's; refuses a database newer than the code.
Result<void> migrate(SQLite::Database& db);

}  // namespace nanbyo::appcore::detail
