#!/usr/bin/env bash
# Issue 6 benchmark: check + judgment latency per form, and the bulk import of
# 10,000 XML forms through nanbyo-check and the upload (goal: < 10 s on the
# 2-core build machine). Usage: run_forms_bench.sh [BUILD_DIR] [FORMS]
# Extra forms_bench options go in FORMS_BENCH_ARGS (e.g. "--iterations 5000").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
forms="${2:-10000}"
if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
  cmake -S "$here/../.." -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
log="$(mktemp)"
if ! cmake --build "$build" --target forms_bench nanbyo-check -j2 >"$log" 2>&1; then
  cat "$log"
  rm -f "$log"
  exit 1
fi
rm -f "$log"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
# shellcheck disable=SC2086  # FORMS_BENCH_ARGS is a list of options
exec "$build/tests/bench/forms/forms_bench" --check-tool "$build/appcore/check/nanbyo-check" \
  --forms "$forms" ${FORMS_BENCH_ARGS:-}
