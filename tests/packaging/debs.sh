#!/bin/bash
# The Debian packages built from the tree (issue 13, part 1): cpack makes
# them from the build, each holds what it must (FHS paths, units,
# sysusers.d, tmpfiles.d, man pages, conffiles, maintainer scripts), and
# lintian reports nothing but the tags docs/install.md justifies
# (packaging/lintian-justified.txt).
# usage: debs.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$(realpath "$1") source=$(realpath "$2")
source "$(dirname "$(realpath "$0")")/check.sh"
out=$build/deb

rm -rf "$out"
(cd "$build" && cpack --config CPackConfig.cmake >"$build/cpack.log" 2>&1) || {
  tail -30 "$build/cpack.log"; exit 1; }
ls -l "$out"/*.deb || exit 1

deb() { ls "$out"/"$1"_*.deb 2>/dev/null | head -1; }
has() { dpkg-deb -c "$(deb "$1")" | awk '{print $6}' | sed 's|^\./|/|' | grep -qx -- "$2"; }
control() { dpkg-deb -f "$(deb "$1")" "$2"; }

for p in nanbyo-gateway nanbyo-appcore nanbyo-tools nanbyo-check nanbyo-forms; do
  check "$p is built" '[ -n "$(deb $p)" ]'
done
check "nanbyo-gateway: binary, unit, sysusers, tmpfiles, policy, D-Bus policy, man page, TUN helper" \
  'has nanbyo-gateway /usr/sbin/nanbyo-gateway && has nanbyo-gateway /lib/systemd/system/nanbyo-gateway.service &&
   has nanbyo-gateway /usr/lib/sysusers.d/nanbyo-gateway.conf && has nanbyo-gateway /usr/lib/tmpfiles.d/nanbyo-gateway.conf &&
   has nanbyo-gateway /etc/nanbyo/gateway.yaml && has nanbyo-gateway /usr/share/dbus-1/system.d/org.nanbyo.Gateway1.conf &&
   has nanbyo-gateway /usr/share/man/man8/nanbyo-gateway.8.gz &&
   has nanbyo-gateway /usr/sbin/nanbyo-tund && has nanbyo-gateway /usr/share/man/man8/nanbyo-tund.8.gz &&
   has nanbyo-gateway /lib/systemd/system/nanbyo-tund.socket &&
   has nanbyo-gateway /lib/systemd/system/nanbyo-tund.service'
check "nanbyo-appcore: binary, unit, sysusers, tmpfiles, configuration, man page" \
  'has nanbyo-appcore /usr/sbin/nanbyo-appcore && has nanbyo-appcore /lib/systemd/system/nanbyo-appcore.service &&
   has nanbyo-appcore /usr/lib/sysusers.d/nanbyo-appcore.conf && has nanbyo-appcore /usr/lib/tmpfiles.d/nanbyo-appcore.conf &&
   has nanbyo-appcore /etc/nanbyo/appcore.conf && has nanbyo-appcore /usr/share/man/man8/nanbyo-appcore.8.gz'
check "nanbyo-tools: nanbyo-pki, nanbyoctl, nanbyo-setup and their man pages" \
  'has nanbyo-tools /usr/bin/nanbyo-pki && has nanbyo-tools /usr/bin/nanbyoctl && has nanbyo-tools /usr/sbin/nanbyo-setup &&
   has nanbyo-tools /usr/share/man/man1/nanbyo-pki.1.gz && has nanbyo-tools /usr/share/man/man1/nanbyoctl.1.gz &&
   has nanbyo-tools /usr/share/man/man8/nanbyo-setup.8.gz'
check "nanbyo-check: binary and man page" \
  'has nanbyo-check /usr/bin/nanbyo-check && has nanbyo-check /usr/share/man/man1/nanbyo-check.1.gz'
check "nanbyo-forms: every definition of the tree under /usr/share/nanbyo/forms" \
  'for f in $(cd "$source/appcore/forms/definitions" && find . -name "*.yaml" | sed "s|^\./||"); do
     has nanbyo-forms "/usr/share/nanbyo/forms/$f" || exit 1; done'
check "nanbyo-forms is architecture-independent" '[ "$(control nanbyo-forms Architecture)" = all ]'
check "the appcore and the check tool depend on the same version of the forms" \
  'control nanbyo-appcore Depends | grep -q "nanbyo-forms (= $(control nanbyo-forms Version))" &&
   control nanbyo-check Depends | grep -q "nanbyo-forms (= $(control nanbyo-forms Version))"'
check "library dependencies come from dpkg-shlibdeps (libssl3, libsystemd0)" \
  'control nanbyo-gateway Depends | grep -q libssl3 && control nanbyo-appcore Depends | grep -q libsystemd0'
check "/etc files are conffiles" \
  'dpkg-deb --ctrl-tarfile "$(deb nanbyo-gateway)" | tar -xO ./conffiles | grep -qx /etc/nanbyo/gateway.yaml &&
   dpkg-deb --ctrl-tarfile "$(deb nanbyo-appcore)" | tar -xO ./conffiles | grep -qx /etc/nanbyo/appcore.conf &&
   dpkg-deb --ctrl-tarfile "$(deb nanbyo-appcore)" | tar -xO ./conffiles | grep -qx /etc/nanbyo/detection.yaml'
check "the services' maintainer scripts make their users and folders" \
  'dpkg-deb --ctrl-tarfile "$(deb nanbyo-appcore)" | tar -xO ./postinst | grep -q "systemd-sysusers /usr/lib/sysusers.d/nanbyo-appcore.conf"'
check "binaries are stripped" \
  '! dpkg-deb --fsys-tarfile "$(deb nanbyo-gateway)" | tar -xO ./usr/sbin/nanbyo-gateway | file - | grep -q "not stripped"'

if command -v lintian >/dev/null; then
  justified=$source/packaging/lintian-justified.txt
  report=$(lintian --tag-display-limit 0 --suppress-tags-from-file "$justified" "$out"/*.deb 2>&1 || true)
  printf '%s\n' "$report" | sed 's/^/lintian: /'
  check "lintian: no tag beyond packaging/lintian-justified.txt" '! printf "%s\n" "$report" | grep -q "^[EW]:"'
else
  echo "lintian not installed: its check is skipped (packaging/install-deps.sh installs it)"
fi
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "packages: all checks passed"
