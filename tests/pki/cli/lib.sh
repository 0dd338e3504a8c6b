# Shared helpers for the nanbyo-pki CLI scenario tests. Sourced, never run.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   init_test "$@"        # $1 = path of the nanbyo-pki binary
#
# After init_test: $PKI is the binary, $WORK a private temp dir (the current
# directory, removed on exit), and `pki ...` runs the binary. Every assertion
# stops the script at the first failure with a message saying what was expected.

set -uo pipefail
set -E
# A command that fails outside an assertion is a test failure too, with its line.
trap 'fail "command failed (status $?) at ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND"' ERR

# PIDs of background processes this test started; the exit trap stops only these.
BG_PIDS=()

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# A step title, so the ctest log shows how far a scenario got.
step() { echo "--- $*"; }

cleanup() {
  local pid
  for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  # Remove the temp dir before waiting: helper loops of a background pipeline
  # (see the lock holder in bad_input.sh) end when it is gone.
  cd / && rm -rf "$WORK"
  for pid in "${BG_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}

init_test() {
  PKI=${1:-}
  [ -n "$PKI" ] || fail "usage: $0 <path of nanbyo-pki>"
  [ -x "$PKI" ] || fail "nanbyo-pki binary not found or not executable: $PKI"
  PKI=$(readlink -f "$PKI")  # still valid after the cd below
  command -v openssl >/dev/null || fail "the openssl command is required"
  # The CA directory must always come from --dir in these tests.
  unset NANBYO_PKI_DIR
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/nanbyo-pki-cli.XXXXXX")
  trap cleanup EXIT
  # Anything written to a relative path lands in the temp dir, never in the tree.
  cd "$WORK" || fail "cannot enter $WORK"
}

pki() { "$PKI" "$@"; }

track_pid() { BG_PIDS+=("$1"); }

# Stops one background process this test started and forgets it.
stop_pid() {
  local pid=$1 kept=() p
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${BG_PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  BG_PIDS=("${kept[@]}")
}

# ---------------------------------------------------------------- assertions

assert_eq() {  # expected actual [what]
  [ "$1" = "$2" ] || fail "${3:-value}: expected '$1', got '$2'"
}

assert_contains() {  # haystack needle [what]
  case "$1" in
    *"$2"*) ;;
    *) fail "${3:-output} should contain '$2'; it was:"$'\n'"$1" ;;
  esac
}

assert_not_contains() {  # haystack needle [what]
  case "$1" in
    *"$2"*) fail "${3:-output} should not contain '$2'; it was:"$'\n'"$1" ;;
  esac
}

assert_file() { [ -f "$1" ] || fail "expected file $1 to exist"; }
assert_no_path() {
  if [ -e "$1" ] || [ -L "$1" ]; then fail "expected $1 not to exist"; fi
}

assert_mode() {  # path octal-mode
  assert_eq "$2" "$(stat -c %a "$1")" "mode of $1"
}

assert_same_file() {  # a b: byte-for-byte equal
  cmp -s "$1" "$2" || fail "$1 and $2 differ"
}

# run_ok cmd...: the command must succeed. Its stdout is left in $OUT and its
# stderr in $ERR; on failure both are shown.
run_ok() {
  local o e status=0
  o=$(mktemp "$WORK/.out.XXXXXX") e=$(mktemp "$WORK/.err.XXXXXX")
  "$@" >"$o" 2>"$e" || status=$?
  OUT=$(cat "$o") ERR=$(cat "$e")
  rm -f "$o" "$e"
  [ "$status" -eq 0 ] || fail "expected success (got status $status): $*"$'\n'"stdout: $OUT"$'\n'"stderr: $ERR"
}

# run_fails cmd...: the command must exit non-zero (not by a signal). $OUT and
# $ERR as for run_ok. For peers like openssl whose messages are not ours.
run_fails() {
  local o e status=0
  o=$(mktemp "$WORK/.out.XXXXXX") e=$(mktemp "$WORK/.err.XXXXXX")
  "$@" >"$o" 2>"$e" || status=$?
  OUT=$(cat "$o") ERR=$(cat "$e")
  rm -f "$o" "$e"
  [ "$status" -ne 0 ] || fail "expected failure, but it succeeded: $*"$'\n'"stdout: $OUT"
  [ "$status" -lt 126 ] || fail "expected a clean failure, got status $status (crash or signal?): $*"$'\n'"stderr: $ERR"
}

# assert_fails_with "<message substring>" cmd...: a nanbyo-pki refusal as an
# operator sees it — non-zero exit (no crash) and exactly one line on stderr,
# "nanbyo-pki: error: ...", containing the substring. $OUT/$ERR are kept.
assert_fails_with() {
  local want=$1 e status=0 lines
  shift
  e=$(mktemp "$WORK/.err.XXXXXX")
  OUT=$("$@" 2>"$e") || status=$?
  ERR=$(cat "$e")
  lines=$(awk 'END { print NR }' "$e")
  local ends_with_newline=no
  [ -s "$e" ] && [ -z "$(tail -c 1 "$e")" ] && ends_with_newline=yes
  rm -f "$e"
  [ "$status" -ne 0 ] || fail "expected failure, but it succeeded: $*"$'\n'"stdout: $OUT"
  [ "$status" -lt 126 ] || fail "expected a clean failure, got status $status (crash?): $*"$'\n'"stderr: $ERR"
  if [ "$lines" != 1 ] || [ "$ends_with_newline" != yes ]; then
    fail "expected exactly one line on stderr, got $lines: $*"$'\n'"stderr: $ERR"
  fi
  case "$ERR" in
    "nanbyo-pki: error: "*) ;;
    *) fail "stderr should start with 'nanbyo-pki: error: ': $*"$'\n'"stderr: $ERR" ;;
  esac
  assert_contains "$ERR" "$want" "error message of: $*"
}

# ------------------------------------------------------------ disk snapshots

# One line per entry under a directory: mode, then the SHA-256 for a file,
# the type otherwise, then the path. Two equal snapshots mean nothing on disk
# changed: no file written, created, removed, renamed or re-moded.
snapshot() {
  local dir=$1
  [ -d "$dir" ] || { echo "(no directory $dir)"; return; }
  (
    cd "$dir" || exit 1
    find . -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' p; do
      if [ -L "$p" ]; then
        printf 'link %s -> %s\n' "$p" "$(readlink "$p")"
      elif [ -f "$p" ]; then
        printf '%s %s %s\n' "$(stat -c %a "$p")" "$(sha256sum <"$p" | cut -d' ' -f1)" "$p"
      else
        printf '%s %s %s\n' "$(stat -c %a "$p")" "$(stat -c %F "$p" | tr ' ' _)" "$p"
      fi
    done
  )
}

assert_unchanged() {  # earlier-snapshot dir [what]
  local now
  now=$(snapshot "$2")
  [ "$1" = "$now" ] ||
    fail "${3:-$2} changed on disk:"$'\n'"$(diff <(echo "$1") <(echo "$now") || true)"
}

# ------------------------------------------------------------------- bytes

# flip_byte file offset [mask]: XORs one byte in place (default mask 0x01).
flip_byte() {
  local file=$1 offset=$2 mask=${3:-1} byte
  byte=$(od -An -tu1 -j "$offset" -N1 "$file" | tr -d ' \n')
  [ -n "$byte" ] || fail "flip_byte: $file has no byte at offset $offset"
  # shellcheck disable=SC2059
  printf "\\x$(printf %02x $((byte ^ mask)))" |
    dd of="$file" bs=1 seek="$offset" conv=notrunc status=none
}

file_size() { stat -c %s "$1"; }

# ------------------------------------------------------------ certificates

cert_serial() {  # upper-case hex serial of the first certificate in a PEM file
  openssl x509 -in "$1" -noout -serial | cut -d= -f2
}

# ------------------------------------------------------------------- JSON

# json_get <json> <match-key> <match-value> <field>: the field of the object
# whose match-key equals match-value, from the flat array of flat objects that
# `nanbyo-pki ... --json` prints (one "key": value per line). No jq/python needed.
json_get() {
  awk -v mk="$2" -v mv="$3" -v f="$4" '
    function value(line) {
      sub(/^ *"[^"]*": /, "", line); sub(/,$/, "", line); gsub(/^"|"$/, "", line)
      return line
    }
    /^ *\{/ { delete row; next }
    /^ *\}/ { if (row[mk] == mv) { print row[f]; found = 1; exit } next }
    /^ *"[^"]*": / { k = $0; sub(/^ *"/, "", k); sub(/": .*/, "", k); row[k] = value($0) }
    END { if (!found) exit 1 }' <<<"$1" ||
    fail "no object with $2=$3 in JSON:"$'\n'"$1"
}
