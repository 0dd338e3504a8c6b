#!/bin/bash
# Upgrades keep data (issue 13, part 7; O-3): the current packages (version
# N) in a clean Debian 12 root, nanbyo-setup's CA, keys and first operator,
# an operator's edit of /etc/nanbyo/appcore.conf; then the same tree packed
# as version N+1 (a higher Debian version) installed over them: the
# database still holds the operator, the CA and the master key are the
# same, the edited conffile is kept, and nanbyo-appcore opens the old
# database with the old key and serves again. Then a database of schema
# version 1 (tests/appcore_core/data) is migrated by the installed N+1.
# usage: upgrade_root.sh BUILD_DIR   (needs the packages of debs.sh in BUILD_DIR/deb)
set -uo pipefail
here=$(dirname "$(realpath "$0")")
build=$(realpath "$1")
source "$here/clean_root.sh"
reason=$(clean_root_skip_reason)
if [ -n "$reason" ]; then echo "SKIP: $reason"; exit 77; fi
command -v sqlite3 >/dev/null || { echo "SKIP: sqlite3 is not installed"; exit 77; }
CLEAN_ROOT_CACHE=$build/packaging-test/clean-root.tar
mkdir -p "$build/packaging-test"
root=$build/packaging-test/upgrade-root
trap 'clean_root_release "$root"' EXIT
failures=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; failures=$((failures + 1)); fi; }
started=$SECONDS

# N+1: the same build packed with a higher version.
version=$(dpkg-deb -f "$(ls "$build"/deb/nanbyo-forms_*.deb)" Version)
next="$version+upgrade1"
rm -rf "$build/deb-next"
(cd "$build" && cpack --config CPackConfig.cmake -D CPACK_PACKAGE_VERSION="$next" \
   -D CPACK_PACKAGE_DIRECTORY="$build/deb-next" >"$build/packaging-test/cpack-next.log" 2>&1) ||
  { tail -20 "$build/packaging-test/cpack-next.log"; exit 1; }
echo "packed $next in $((SECONDS - started)) s"

clean_root_unpack "$root" || exit 1
mkdir -p "$root/tmp/debs-n" "$root/tmp/debs-next"
cp "$build"/deb/*.deb "$root/tmp/debs-n/" && cp "$build"/deb-next/*.deb "$root/tmp/debs-next/"
in_root "$root" sh -c 'dpkg -i /tmp/debs-n/*.deb' >"$build/packaging-test/upgrade-n.log" 2>&1 ||
  { cat "$build/packaging-test/upgrade-n.log"; exit 1; }
in_root "$root" nanbyo-setup --no-start --operator-name "運用 一郎" >/dev/null 2>&1 ||
  { echo "nanbyo-setup failed"; exit 1; }
sed -i 's/^workers = [0-9]*$/workers = 2/' "$root/etc/nanbyo/appcore.conf"

db=$root/var/lib/nanbyo/appcore/appcore.db
users_before=$(sqlite3 "file:$db?mode=ro" "SELECT user_id FROM users ORDER BY user_id" 2>&1)
certs_before=$(sqlite3 "file:$root/var/lib/nanbyo/pki/ca.db?mode=ro" "SELECT serial FROM certificates ORDER BY serial")
key_before=$(sha256sum <"$root/etc/nanbyo/credentials/appcore-master.key")
check "version $version holds the first operator" '[ -n "$users_before" ] && grep -q "^user_id $users_before" "$root/root/nanbyo-first-operator.txt"'

in_root "$root" sh -c 'dpkg -i /tmp/debs-next/*.deb' >"$build/packaging-test/upgrade-next.log" 2>&1 ||
  { cat "$build/packaging-test/upgrade-next.log"; exit 1; }
check "every package is now $next" \
  '[ "$(in_root "$root" dpkg-query -W -f "\${Version}\n" nanbyo-gateway nanbyo-appcore nanbyo-tools nanbyo-check nanbyo-forms | sort -u)" = "$next" ]'
check "the database keeps its users" \
  '[ "$(sqlite3 "file:$db?mode=ro" "SELECT user_id FROM users ORDER BY user_id")" = "$users_before" ]'
check "the CA keeps its certificates, the master key is the same" \
  '[ "$(sqlite3 "file:$root/var/lib/nanbyo/pki/ca.db?mode=ro" "SELECT serial FROM certificates ORDER BY serial")" = "$certs_before" ] &&
   [ "$(sha256sum <"$root/etc/nanbyo/credentials/appcore-master.key")" = "$key_before" ]'
check "the operator's edit of appcore.conf is kept" 'grep -qx "workers = 2" "$root/etc/nanbyo/appcore.conf"'
page=$(appcore_login_page "$root" 2>"$build/packaging-test/upgrade-appcore.log")
check "nanbyo-appcore $next opens the old database with the old key and serves" \
  '[ "$(printf "%s\n" "$page" | head -1)" = 200 ]' || cat "$build/packaging-test/upgrade-appcore.log"
again=$(in_root "$root" nanbyo-appcore bootstrap-operator --name x --config /etc/nanbyo/appcore.conf \
          --master-key /etc/nanbyo/credentials/appcore-master.key 2>&1)
check "the upgraded core still knows its operator (a second one is refused)" \
  'printf "%s\n" "$again" | grep -q "operator exists already"'

# The data of an appliance still on schema version 1 (written by the released
# version-1 code: two municipalities, four doctors, a clerk), with its master
# key, under the installed $next: its nanbyo-appcore migrates it to the
# designations schema at start and serves.
fixture=$(dirname "$here")/appcore_core/data
install -m 0600 -o "$(stat -c %u "$db")" -g "$(stat -c %g "$db")" "$fixture/appcore-v1.db" "$db"
rm -f "$db-wal" "$db-shm"
install -m 0600 -o "$(stat -c %u "$root/etc/nanbyo/credentials/appcore-master.key")" \
  -g "$(stat -c %g "$root/etc/nanbyo/credentials/appcore-master.key")" \
  "$fixture/appcore-v1.key" "$root/etc/nanbyo/credentials/appcore-master.key"
check "a schema-1 database is at version 1 before the start" \
  '[ "$(sqlite3 "file:$db?mode=ro" "SELECT MAX(version) FROM schema_migrations")" = 1 ]'
page=$(appcore_login_page "$root" 2>"$build/packaging-test/upgrade-v1-appcore.log")
check "nanbyo-appcore $next migrates a schema-1 database and serves" \
  '[ "$(printf "%s\n" "$page" | head -1)" = 200 ]'
# Version 2 made the designations, version 3 the 兼務先 by consent (issue 12).
check "every schema-1 doctor is now one designation; users and doctors kept" \
  '[ "$(sqlite3 "file:$db?mode=ro" "SELECT MAX(version) FROM schema_migrations")" -ge 3 ] &&
   [ "$(sqlite3 "file:$db?mode=ro" \
        "SELECT COUNT(*) FROM pragma_table_info('"'"'affiliations'"'"') WHERE name='"'"'state'"'"'")" = 1 ] &&
   [ "$(sqlite3 "file:$db?mode=ro" "SELECT COUNT(*) FROM designations")" = 4 ] &&
   [ "$(sqlite3 "file:$db?mode=ro" "SELECT COUNT(*) FROM doctors")" = 4 ] &&
   [ "$(sqlite3 "file:$db?mode=ro" "SELECT COUNT(*) FROM users")" = 8 ]'
echo "upgrade test: $((SECONDS - started)) s"
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "upgrade: all checks passed"
