#!/usr/bin/env bash
# Issue 17 benchmark: the auditor's console over 1,000,000 audit records (goal: a
# filtered search page under 200 ms p99). Usage: run_audit_console_bench.sh [BUILD_DIR] [RECORDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
records="${2:-1000000}"
cmake --build "$build" --target audit_console_bench -j2 >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
exec "$build/tests/bench/audit_console/audit_console_bench" --records "$records"
