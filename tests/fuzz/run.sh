#!/usr/bin/env bash
# Runs every libFuzzer binary in $1 for $2 seconds on a scratch copy of its
# corpus (new findings stay in build-fuzz, the checked-in seeds stay small).
set -euo pipefail
bin_dir=$1 seconds=${2:-30}
src=$(cd "$(dirname "$0")" && pwd)
for fuzzer in "$bin_dir"/*_fuzz; do
  name=$(basename "$fuzzer" _fuzz)
  work="$bin_dir/corpus-$name"
  mkdir -p "$work"
  cp -n "$src/corpus/$name"/* "$work"/ 2>/dev/null || true
  echo "fuzz: $name for ${seconds}s"
  "$fuzzer" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 "$work" 2>&1 | tail -4
done
