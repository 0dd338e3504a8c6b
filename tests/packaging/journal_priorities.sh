#!/bin/bash
# Programs as systemd starts them (issue 13, part 4): with stderr on the
# journal (JOURNAL_STREAM names the stream) failures carry the syslog
# priority err, "<3>", so `journalctl -p err` finds them; on a terminal the
# line has no prefix; every program prints the project version.
# usage: journal_priorities.sh VERSION FORMS_DIR GATEWAY APPCORE PKI CTL CHECK SETUP
set -uo pipefail
source "$(dirname "$(realpath "$0")")/check.sh"
version=$1 forms=$2 gateway=$3 appcore=$4
shift 4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs "$@" with stderr appended to $work/log, JOURNAL_STREAM naming that file.
as_journal() {
  : >"$work/log"
  JOURNAL_STREAM=$(stat -c '%d:%i' "$work/log") "$@" 2>>"$work/log" >/dev/null
}

as_journal "$gateway" --policy "$work/missing.yaml"
check "gateway start failure is <3> (err) on the journal" 'grep -q "^<3>nanbyo-gateway: error: " "$work/log"'
printf 'bogus = 1\n' >"$work/appcore.conf"
as_journal "$appcore" serve --config "$work/appcore.conf"
check "appcore configuration error is <3> with file:line" \
  'grep -q "^<3>nanbyo-appcore: error: .*appcore.conf:1: unknown key" "$work/log"'
as_journal "$appcore" serve --database "$work/a.db" --master-key "$work/k" --create-master-key \
  --audit-log "$work/audit.jsonl" --listen "unix:$work/s" --form-definitions "$forms" \
  --control-bus "unix:path=$work/no-bus"
check "appcore refuses to start without its control bus (S-8), <3>" \
  'grep -q "^<3>nanbyo-appcore: error: --control-bus: cannot reach the bus" "$work/log" && [ ! -S "$work/s" ]'
"$gateway" --policy "$work/missing.yaml" 2>"$work/tty" >/dev/null
check "without the journal the line has no prefix" 'grep -q "^nanbyo-gateway: error: " "$work/tty"'
for program in "$gateway" "$appcore" "$@"; do
  check "$(basename "$program") --version prints $version" '"$program" --version | grep -q "$version"'
done
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
