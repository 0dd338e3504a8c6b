# The packaging tests' one way to judge a check: `check NAME CONDITION` prints
# ok or FAIL, counts failures and returns 1 on a failure so `|| show_log` runs.
# The condition is judged by its last command, without pipefail: in
# `printf "$out" | grep -q X` grep exits at the first match, the writer may
# then die of SIGPIPE, and pipefail would call a found line a failure (it did,
# now and then, on CI). A subshell also keeps an `exit` in a condition local.
# shellcheck shell=bash
failures=0
check() {
  if (set +o pipefail; eval "$2"); then echo "ok   $1"; return 0; fi
  echo "FAIL $1"
  failures=$((failures + 1))
  return 1
}
