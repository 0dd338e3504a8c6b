#!/usr/bin/env bash
# Issue 18 benchmark (F-1, F-4, F-9) over the whole catalog: (a) check +
# judgment latency of forms generated for every disease-specific definition and
# the common templates of all 1,140 master diseases; (b) 100,000 XML forms over
# the master (100 files of 1,000) through the real nanbyo-check, then the
# upload job into FormService on SQLite (goal: under 10 s on the 2-core
# machine), with `xmllint --schema` over the same files as the peer.
# Usage: run_forms_catalog_bench.sh [BUILD_DIR] [FORMS]
#   BENCH_NO_LATENCY=1 only part b;  BENCH_NO_BULK=1 only part a
#   FORMS_BENCH_ARGS   more forms_bench options (--forms-per-file, --calls-per-form, --keep, ...)
# tests/bench/README.md, "Forms over the whole catalog (issue 18)".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
forms="${2:-100000}"
say() { printf '%s\n' "$*" >&2; }

# The peer: xmllint (Debian package libxml2-utils, installed by packaging/install-deps.sh).
XMLLINT=$(command -v xmllint) || { say "xmllint is missing: run make deps"; exit 1; }

args="--catalog --catalog-forms $forms --xmllint $XMLLINT"
[ "${BENCH_NO_LATENCY:-0}" = 1 ] && args+=" --no-latency"
[ "${BENCH_NO_BULK:-0}" = 1 ] && args+=" --no-bulk"
# run_forms_bench.sh builds forms_bench and nanbyo-check and prints the load
# average before (the machine is shared); the load after is printed here.
FORMS_BENCH_ARGS="$args ${FORMS_BENCH_ARGS:-}" "$here/run_forms_bench.sh" "$build"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
