#!/usr/bin/env bash
# Issue 12 benchmark: another user's GET /api/me latency alone, while four users
# log in back to back, and while a bulk import of ROWS doctors runs, through
# nanbyo-appcore's HTTP layer (tests/bench/README.md, "Concurrency").
# Usage: run_appcore_concurrency_bench.sh [BUILD_DIR] [ROWS] [SECONDS] [WORKERS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
rows="${2:-147000}"
seconds="${3:-10}"
workers="${4:-16}"
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  cmake --build "$build" --target appcore_bulk_import nanbyo-appcore -j2 >/dev/null
fi
exec python3 "$here/appcore_concurrency/concurrency_bench.py" "$build" "$rows" "$seconds" "$workers"
