#!/usr/bin/env bash
# ID-2 benchmark: bulk registration of 147,000 rows (5 % of the people also hold
# a 小慢 designation) from one CSV, through the core and then through the web
# layer (nanbyo-appcore's HTTP server; goal < 5 s on the 2-core build machine).
# Usage: run_appcore_bulk_bench.sh [BUILD_DIR] [ROWS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
rows="${2:-147000}"
cmake --build "$build" --target appcore_bulk_import nanbyo-appcore -j2 >/dev/null
"$build/tests/bench/appcore_bulk_import/appcore_bulk_import" "$rows"
exec python3 "$here/appcore_bulk_import/web_bulk_bench.py" "$build" "$rows"
