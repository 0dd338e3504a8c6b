# Sourced by the package tests: a clean Debian 12 root for installing the
# .debs, made with debootstrap from the mirror this machine's apt uses, kept
# as a tarball in the build tree so a second test (and a rerun) unpacks it
# in seconds instead of bootstrapping again.
#   clean_root_skip_reason     prints why the tests cannot run here, or nothing
#   clean_root_unpack DIR      DIR becomes a fresh copy of the cached root
#   in_root DIR CMD...         runs CMD inside DIR with /proc mounted

# The libraries the packages link and what their scripts use, preinstalled
# so that `dpkg -i` needs no network after the first bootstrap.
source "$(dirname "$(realpath "${BASH_SOURCE[0]}")")/../../packaging/image/debian_base.sh"
CLEAN_ROOT_INCLUDE=systemd,dbus,$NANBYO_RUNTIME_PACKAGES

clean_root_skip_reason() {
  [ "$(id -u)" -eq 0 ] || { echo "needs root (debootstrap, chroot)"; return; }
  command -v debootstrap >/dev/null || { echo "debootstrap is not installed (packaging/install-deps.sh)"; return; }
  [ -n "$(debian_mirror)" ] || { echo "no Debian mirror in /etc/apt/sources.list*"; return; }
  grep -qs bookworm /etc/os-release || { echo "not a Debian 12 (bookworm) machine"; return; }
}

clean_root_unpack() {
  # The cache is named after the package list, so a changed list bootstraps anew.
  local dir=$1 cache
  cache=${CLEAN_ROOT_CACHE%.tar}-$(printf '%s' "$CLEAN_ROOT_INCLUDE" | sha256sum | cut -c1-12).tar
  if [ ! -f "$cache" ]; then
    local started=$SECONDS staging="$cache.staging"
    rm -rf "$staging"
    echo "clean root: debootstrap bookworm from $(debian_mirror) (cached in $cache)"
    debootstrap --variant=minbase --include="$CLEAN_ROOT_INCLUDE" bookworm "$staging" \
      "$(debian_mirror)" >"$cache.log" 2>&1 || { tail -20 "$cache.log"; return 1; }
    rm -rf "$staging"/var/cache/apt/archives/*.deb
    tar -C "$staging" -cf "$cache.tmp" . && mv "$cache.tmp" "$cache"
    rm -rf "$staging"
    echo "clean root: debootstrap took $((SECONDS - started)) s"
  fi
  rm -rf "$dir" && mkdir -p "$dir" && tar -C "$dir" -xf "$cache"
}

in_root() {
  local dir=$1
  shift
  mountpoint -q "$dir/proc" || mount -t proc proc "$dir/proc"
  chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}

clean_root_release() {
  local dir=$1
  ! mountpoint -q "$dir/proc" || umount "$dir/proc"
}

# Every path in the root except the package manager's own records and logs:
# what must be the same before an install and after the purge.
root_files() {
  (cd "$1" && find . -xdev \( -path ./proc -o -path ./var/lib/dpkg -o -path ./var/log -o \
     -path ./var/cache -o -path ./tmp -o -path ./run -o -name '*-' \) -prune -o -print | sort)
}

# A service as systemd would run it: its user (and groups), its credential
# copied to /run/credentials/<unit>/ for that user only, in the background.
# chroot, env and setpriv each exec the next, so the pid left in
# SERVICE_PID is the service itself.
#   start_service ROOT USER CREDENTIAL_NAME SETPRIV_EXTRA COMMAND...
start_service() {
  local root=$1 user=$2 credential=$3 extra=$4
  shift 4
  local unit creds
  unit=$(basename "$1").service
  creds=/run/credentials/$unit
  mkdir -p "$root$creds"
  # systemd 252 writes it 0400 root-owned and grants the user read access
  # with an ACL, so stat() shows 0440: the same mode, through the user's group.
  install -m 0440 "$root/etc/nanbyo/credentials/$credential" "$root$creds/$credential"
  in_root "$root" chown "root:$user" "$creds/$credential"
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin LANG=C.UTF-8 \
    CREDENTIALS_DIRECTORY=$creds setpriv --reuid="$user" --regid="$user" --init-groups $extra \
    "$@" >"$root/tmp/$unit.log" 2>&1 &
  SERVICE_PID=$!
}

stop_service() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# nanbyo-appcore from its installed configuration (further flags after ROOT);
# waits for its socket.
start_appcore() {
  local root=$1
  shift
  mkdir -p "$root/run/nanbyo-appcore"
  in_root "$root" chown _nanbyo-app:_nanbyo-app /run/nanbyo-appcore
  chmod 0750 "$root/run/nanbyo-appcore"
  # A socket left by an earlier start would end the wait below before this
  # process listens (systemd removes it between starts; here the test does).
  rm -f "$root/run/nanbyo-appcore/appcore.sock"
  start_service "$root" _nanbyo-app appcore-master.key "" /usr/sbin/nanbyo-appcore serve \
    --config /etc/nanbyo/appcore.conf --control-bus none "$@"
  APPCORE_PID=$SERVICE_PID
  # Generous: a loaded CI machine may take seconds to open the database and the forms.
  for _ in $(seq 600); do [ -S "$root/run/nanbyo-appcore/appcore.sock" ] && break; sleep 0.1; done
}

# GET /login from the installed nanbyo-appcore through its socket with the
# headers the gateway adds: prints the HTTP status, then the page. The test
# connects as root, so the service takes root as its gateway user here.
appcore_login_page() {
  local root=$1
  start_appcore "$root" --gateway-user 0
  curl -s -o "$root/tmp/login.html" -w '%{http_code}\n' \
    --unix-socket "$root/run/nanbyo-appcore/appcore.sock" \
    -H 'X-Nanbyo-Listener: hospital' -H 'X-Request-Id: package-test' \
    -H 'X-Forwarded-For: 127.0.0.1' -H 'X-Forwarded-Proto: https' http://appcore/login || true
  cat "$root/tmp/login.html" 2>/dev/null || true
  stop_service "$APPCORE_PID"
  cat "$root/tmp/nanbyo-appcore.service.log" >&2
}
