#!/bin/bash
# The .debs in a clean Debian 12 root (issue 13, parts 1, 4, 5): install
# makes the users and folders, every program answers --version, nanbyo-setup
# makes the CA, the server certificate, the master key and the first
# operator (and changes nothing when run again), the installed
# nanbyo-appcore serves the Japanese login page from its installed defaults;
# remove keeps data and conffiles, purge leaves the root as it was before
# the install, a reinstall works again, and setup imports a CA and installs
# a server certificate made elsewhere.
# usage: install_root.sh BUILD_DIR   (needs the packages of debs.sh in BUILD_DIR/deb)
set -uo pipefail
here=$(dirname "$(realpath "$0")")
build=$(realpath "$1")
source "$here/clean_root.sh"
source "$here/check.sh"
reason=$(clean_root_skip_reason)
if [ -n "$reason" ]; then echo "SKIP: $reason"; exit 77; fi
CLEAN_ROOT_CACHE=$build/packaging-test/clean-root.tar
mkdir -p "$build/packaging-test"
root=$build/packaging-test/install-root
trap 'clean_root_release "$root"' EXIT

started=$SECONDS
clean_root_unpack "$root" || exit 1
echo "clean root ready in $((SECONDS - started)) s"
root_files "$root" >"$build/packaging-test/files-before"
mkdir -p "$root/tmp/debs" && cp "$build"/deb/*.deb "$root/tmp/debs/"
packages="nanbyo-gateway nanbyo-appcore nanbyo-tools nanbyo-check nanbyo-forms"
version=$(dpkg-deb -f "$(ls "$build"/deb/nanbyo-forms_*.deb)" Version)

installed_checks() {
  check "install: the services' users, the gateway's user in the application's group" \
    'in_root "$root" getent passwd _nanbyo-gw >/dev/null && in_root "$root" getent passwd _nanbyo-app >/dev/null &&
     in_root "$root" id -nG _nanbyo-gw | grep -qw _nanbyo-app'
  check "install: /var/lib/nanbyo/appcore 0700 and /var/log/nanbyo/* owned by the services" \
    '[ "$(in_root "$root" stat -c "%a %U" /var/lib/nanbyo/appcore)" = "700 _nanbyo-app" ] &&
     [ "$(in_root "$root" stat -c "%U" /var/log/nanbyo/appcore)" = _nanbyo-app ] &&
     [ "$(in_root "$root" stat -c "%U" /var/log/nanbyo/gateway)" = _nanbyo-gw ]'
  check "install: the application's group may read the gateway's audit log (ACL, the console)" \
    'python3 "$here/acl_grants.py" "$root/var/log/nanbyo/gateway" \
       "$(in_root "$root" getent group _nanbyo-app | cut -d: -f3)" r-x r--'
  check "install: every program prints the version $version" \
    'for p in /usr/sbin/nanbyo-gateway /usr/sbin/nanbyo-appcore /usr/bin/nanbyo-pki /usr/bin/nanbyoctl \
              /usr/bin/nanbyo-check /usr/sbin/nanbyo-setup; do
       in_root "$root" $p --version | grep -q "${version%%+*}" || { echo "  $p --version"; exit 1; }; done'
}

in_root "$root" sh -c 'dpkg -i /tmp/debs/*.deb' >"$build/packaging-test/dpkg-install.log" 2>&1 ||
  { cat "$build/packaging-test/dpkg-install.log"; exit 1; }
installed_checks

setup_out=$(in_root "$root" nanbyo-setup --no-start --server-name gw.example.jp 2>&1)
printf '%s\n' "$setup_out" | sed 's/^/setup: /'
check "setup: the CA, the server certificate, the keys only root can read" \
  '[ -f "$root/var/lib/nanbyo/pki/ca.db" ] && [ -f "$root/etc/nanbyo/tls/server.crt" ] &&
   [ "$(stat -c %a "$root/etc/nanbyo/credentials/gateway-tls.key")" = 600 ] &&
   [ "$(stat -c %a "$root/etc/nanbyo/credentials/appcore-master.key")" = 600 ] &&
   [ "$(stat -c %s "$root/etc/nanbyo/credentials/appcore-master.key")" = 32 ] &&
   [ "$(stat -c %a "$root/etc/nanbyo/credentials")" = 700 ]'
check "setup: the first operator, its database owned by the application's user" \
  'grep -q "^user_id " "$root/root/nanbyo-first-operator.txt" &&
   [ "$(in_root "$root" stat -c %U /var/lib/nanbyo/appcore/appcore.db)" = _nanbyo-app ]'
check "setup: next steps in Japanese and English" \
  'printf "%s\n" "$setup_out" | grep -q "次の手順" && printf "%s\n" "$setup_out" | grep -q "next steps"'
key_sum=$(sha256sum <"$root/etc/nanbyo/credentials/appcore-master.key")
operator=$(cat "$root/root/nanbyo-first-operator.txt")
again=$(in_root "$root" nanbyo-setup --no-start 2>&1)
check "setup again: keeps the CA, the certificate, the key and the operator" \
  'printf "%s\n" "$again" | grep -q "CA: kept" && printf "%s\n" "$again" | grep -q "server certificate: kept" &&
   printf "%s\n" "$again" | grep -q "master key: kept" && printf "%s\n" "$again" | grep -q "first operator: kept" &&
   [ "$(sha256sum <"$root/etc/nanbyo/credentials/appcore-master.key")" = "$key_sum" ] &&
   [ "$(cat "$root/root/nanbyo-first-operator.txt")" = "$operator" ]'
page=$(appcore_login_page "$root" 2>"$build/packaging-test/appcore.log")
check "the installed nanbyo-appcore serves the login page (its config, credential, forms)" \
  '[ "$(printf "%s\n" "$page" | head -1)" = 200 ] && printf "%s\n" "$page" | grep -q "ログイン"' ||
  cat "$build/packaging-test/appcore.log"
in_root "$root" nanbyo-pki --dir /var/lib/nanbyo/pki issue client --hospital 1310000001 \
  --terminal package-test --out /tmp/pc --password-file /tmp/pc.p12.password >/dev/null
page=$(unshare --net "$here/gateway_in_netns.sh" "$root" gw.example.jp 2>"$build/packaging-test/gateway.log")
check "a PC certificate of the installed CA gets the login page through the installed gateway" \
  '[ "$(printf "%s\n" "$page" | head -1)" = 200 ] && printf "%s\n" "$page" | grep -q "ログイン"' ||
  { printf "%s\n" "$page" | head -3; cat "$build/packaging-test/gateway.log"; }

check "the audit log the installed gateway wrote is readable by the application's group" \
  'python3 "$here/acl_grants.py" "$root/var/log/nanbyo/gateway/audit.jsonl" \
     "$(in_root "$root" getent group _nanbyo-app | cut -d: -f3)" r-- none'
check "the shipped inspection passes an upload's raw bytes and refuses an SQL injection" \
  'grep -qx "upload 401" "$root/tmp/gateway-inspection.txt" && grep -qx "sqli 403" "$root/tmp/gateway-inspection.txt"' ||
  cat "$root/tmp/gateway-inspection.txt"

in_root "$root" dpkg -r $packages >"$build/packaging-test/dpkg-remove.log" 2>&1 ||
  { cat "$build/packaging-test/dpkg-remove.log"; exit 1; }
check "remove: the programs are gone, data, keys and conffiles stay" \
  '[ ! -e "$root/usr/sbin/nanbyo-gateway" ] && [ -f "$root/var/lib/nanbyo/appcore/appcore.db" ] &&
   [ -f "$root/etc/nanbyo/credentials/appcore-master.key" ] && [ -f "$root/etc/nanbyo/appcore.conf" ]'
in_root "$root" dpkg -P $packages >"$build/packaging-test/dpkg-purge.log" 2>&1 ||
  { cat "$build/packaging-test/dpkg-purge.log"; exit 1; }
root_files "$root" >"$build/packaging-test/files-after-purge"
check "purge: the root holds the same files as before the install" \
  'diff "$build/packaging-test/files-before" "$build/packaging-test/files-after-purge"'

in_root "$root" sh -c 'dpkg -i /tmp/debs/*.deb' >"$build/packaging-test/dpkg-reinstall.log" 2>&1 ||
  { cat "$build/packaging-test/dpkg-reinstall.log"; exit 1; }
echo "after a reinstall:"
installed_checks

# An existing CA and a server certificate from elsewhere (S-4: a public CA's),
# both made by another CA directory here.
in_root "$root" sh -c 'nanbyo-pki --dir /tmp/other-ca init >/dev/null &&
  nanbyo-pki --dir /tmp/other-ca issue server --dns db.example.lg.jp --out /tmp/public >/dev/null'
imported=$(in_root "$root" nanbyo-setup --no-start --import-ca /tmp/other-ca \
             --server-cert /tmp/public.crt --server-key /tmp/public.key 2>&1)
check "setup --import-ca and --server-cert: that CA, that certificate and key (S-4)" \
  'printf "%s\n" "$imported" | grep -q "CA: imported from /tmp/other-ca" &&
   cmp -s "$root/tmp/other-ca/root-ca.crt" "$root/var/lib/nanbyo/pki/root-ca.crt" &&
   cmp -s "$root/tmp/public.crt" "$root/etc/nanbyo/tls/server.crt" &&
   cmp -s "$root/tmp/public.key" "$root/etc/nanbyo/credentials/gateway-tls.key" &&
   [ "$(stat -c %a "$root/etc/nanbyo/credentials/gateway-tls.key")" = 600 ] &&
   [ "$(stat -c %a "$root/var/lib/nanbyo/pki/private")" = 700 ]' || printf "%s\n" "$imported"
echo "install, setup, remove, purge, reinstall: $((SECONDS - started)) s"
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "install root: all checks passed"
