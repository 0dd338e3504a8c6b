#!/usr/bin/env bash
# Issue 18 benchmark: a 10,000-form XML upload (F-9) runs as a background job
# while another user of the hospital keeps working; prints that user's request
# latency (p50/p99/max) alone and during the job, and the job's duration
# (tests/bench/README.md, "Uploads as jobs"). Sibling of
# run_appcore_concurrency_bench.sh (logins, doctors' bulk import).
# Usage: run_appcore_upload_job_bench.sh [BUILD_DIR] [FORMS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
forms="${2:-10000}"
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  cmake --build "$build" --target forms_bench nanbyo-check -j2 >/dev/null
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
exec "$build/tests/bench/forms/forms_bench" --check-tool "$build/appcore/check/nanbyo-check" \
  --forms "$forms" --no-latency --upload-job
