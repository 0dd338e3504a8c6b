#!/usr/bin/env bash
# ID-2 benchmark: bulk registration of 147,000 doctors from one CSV (goal: < 30 s
# on the 2-core build machine). Usage: run_appcore_bulk_bench.sh [BUILD_DIR] [ROWS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
rows="${2:-147000}"
cmake --build "$build" --target appcore_bulk_import -j2 >/dev/null
exec "$build/tests/bench/appcore_bulk_import/appcore_bulk_import" "$rows"
