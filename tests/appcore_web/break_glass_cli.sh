#!/usr/bin/env bash
# `nanbyo-appcore break-glass` (issue 12) on a real database: the first
# operator's account is unlocked and given a new initial password from the
# shell, each recorded in break-glass.jsonl with the OS user; an unknown ID fails.
set -euo pipefail
appcore=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
core=(--database "$dir/appcore.db" --master-key "$dir/master.key" --audit-log "$dir/audit/appcore.jsonl"
      --argon2-ops 1 --argon2-mem-mib 8)
"$appcore" bootstrap-operator --name "運用 太郎" --create-master-key "${core[@]}" >"$dir/operator.txt"
id=$(awk '/^user_id/ {print $2}' "$dir/operator.txt")

"$appcore" break-glass unlock "$id" "${core[@]}" >"$dir/unlock.txt"
grep -q "unlocked $id" "$dir/unlock.txt"
"$appcore" break-glass reset-password "$id" "${core[@]}" >"$dir/reset.txt"
grep -Eq '^initial_password .{8,}' "$dir/reset.txt"

log="$dir/audit/break-glass.jsonl"
user=$(id -un)
grep '"break-glass-unlock"' "$log" | grep '"actor":"break-glass"' | grep -q "\"os_user\":\"$user\""
grep '"break-glass-password-reset"' "$log" | grep -q "\"os_user\":\"$user\""

if "$appcore" break-glass unlock O9999999 "${core[@]}" 2>"$dir/err.txt"; then
  echo "an unknown ID was accepted"; exit 1
fi
grep -q "does not exist" "$dir/err.txt"
# The configuration file of the service serves the command too.
printf 'database = %s\nmaster-key = %s\naudit-log = %s\nworkers = 2\n' \
  "$dir/appcore.db" "$dir/master.key" "$dir/audit/appcore.jsonl" >"$dir/appcore.conf"
"$appcore" break-glass unlock "$id" --config "$dir/appcore.conf" >/dev/null
echo "break-glass: ok"
