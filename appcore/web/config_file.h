// nanbyo-appcore's configuration file (issue 13): `key = value` lines whose
// keys are the long flags of the command without "--" (database = /var/lib/
// nanbyo/appcore.db). Blank lines and lines starting with '#' are skipped.
// A flag on the command line wins over the file; the file over the default.
// An unknown key, a line without '=' or a value the flag refuses is an
// error that names file:line.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "pki/result.h"

namespace nanbyo::web {

// Applies `file` to the already parsed `command`. The keys are those of
// `schema` (the serve command, whose flags are a superset of every other
// command's): one file serves `serve` and `bootstrap-operator`, which takes
// only the keys it has (database, master-key, audit-log, ...).
Result<void> apply_config_file(CLI::App& command, const CLI::App& schema, const std::string& file);

}  // namespace nanbyo::web
