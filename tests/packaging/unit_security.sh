#!/bin/bash
# Every systemd unit of the appliance scores at most 2.0 in
# `systemd-analyze security --offline=true` (issue 13, part 2): prints each
# unit's score and the settings that cost most, fails above the limit.
# usage: unit_security.sh UNIT_FILE...
set -uo pipefail
LIMIT=2.0
# A here-string, not a pipe: grep -q's early exit must not fail the test through pipefail.
if ! grep -q -- '--offline' <<<"$(systemd-analyze security --help 2>/dev/null)"; then
  echo "SKIP: this systemd-analyze has no --offline (systemd 250 or newer needed)"
  exit 77
fi
failed=0
for unit in "$@"; do
  report=$(systemd-analyze security --offline=true --no-pager "$unit" 2>&1)
  score=$(printf '%s\n' "$report" | sed -n -E 's/.*Overall exposure level for [^:]+: ([0-9.]+).*/\1/p')
  if [ -z "$score" ]; then
    echo "FAIL $(basename "$unit"): no score"
    printf '%s\n' "$report" | tail -20
    failed=1
    continue
  fi
  if awk -v s="$score" -v l="$LIMIT" 'BEGIN { exit !(s <= l) }'; then
    echo "ok   $(basename "$unit"): $score (limit $LIMIT)"
  else
    echo "FAIL $(basename "$unit"): $score, above $LIMIT; the settings that cost:"
    printf '%s\n' "$report" | grep '✗'
    failed=1
  fi
done
exit $failed
