#!/bin/bash
# The appliance image boots (issue 13, part 6; O-3): packaging/image/make-image.sh
# builds the image from the .debs on Debian 12 packages; qemu boots it (KVM
# when /dev/kvm is usable, otherwise TCG); first boot runs nanbyo-setup, the
# services start under systemd; a test unit issues a PC certificate from the
# CA first boot made (as an operator would at the console) and reports the
# units on the serial console. Then, from the host through a forwarded port,
# the PC certificate gets the Japanese login page from the application core
# through the gateway, and a connection without one is refused.
# usage: image_boot.sh BUILD_DIR SOURCE_DIR  (needs the packages of debs.sh in BUILD_DIR/deb)
set -uo pipefail
here=$(dirname "$(realpath "$0")")
build=$(realpath "$1")
source_dir=$(realpath "$2")
source "$here/clean_root.sh"
source "$here/check.sh"
reason=$(clean_root_skip_reason)
if [ -n "$reason" ]; then echo "SKIP: $reason"; exit 77; fi
command -v qemu-system-x86_64 >/dev/null ||
  { echo "SKIP: qemu-system-x86_64 is not installed (packaging/install-deps.sh)"; exit 77; }
command -v mkfs.ext4 >/dev/null || { echo "SKIP: mkfs.ext4 is not installed"; exit 77; }
work=$build/packaging-test/image
mkdir -p "$work"
started=$SECONDS
qemu_pid=""
trap '[ -z "$qemu_pid" ] || stop_qemu' EXIT

name=gw.example.jp
overlay=$work/overlay
rm -rf "$overlay"
install -D -m 0644 "$here/image/nanbyo-image-test.service" "$overlay/etc/systemd/system/nanbyo-image-test.service"
install -D -m 0755 "$here/image/nanbyo-image-test-report" "$overlay/usr/local/sbin/nanbyo-image-test-report"
"$source_dir/packaging/image/make-image.sh" --debs "$build/deb" --out "$work/out" \
  --base-cache "$build/packaging-test/image-base.tar" --server-name "$name" \
  --overlay "$overlay" --enable nanbyo-image-test.service >"$work/make-image.log" 2>&1 ||
  { cat "$work/make-image.log"; exit 1; }
cat "$work/make-image.log"
check "the image holds a kernel, an initramfs and a root file system" \
  '[ -s "$work/out/vmlinuz" ] && [ -s "$work/out/initrd.img" ] && [ -s "$work/out/nanbyo-appliance.img" ]'

# The second disk: where the test unit leaves the PC certificate (a tar archive).
rm -f "$work/export.img" && truncate -s 8M "$work/export.img"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
boot() {
  : >"$work/console.log"
  qemu-system-x86_64 -machine "q35,accel=$1" -m 1024 -smp 2 -display none -monitor none \
    -serial "file:$work/console.log" -no-reboot \
    -kernel "$work/out/vmlinuz" -initrd "$work/out/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 panic=-1" \
    -drive "file=$work/out/nanbyo-appliance.img,format=raw,if=virtio" \
    -drive "file=$work/export.img,format=raw,if=virtio" \
    -nic "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$port-:443" >"$work/qemu.log" 2>&1 &
  qemu_pid=$!
  boot_started=$SECONDS
}
stop_qemu() { kill "$qemu_pid" 2>/dev/null; wait "$qemu_pid" 2>/dev/null; qemu_pid=""; }
# KVM when it works: a nested or paravirtual KVM (this project's CI machines
# run inside one) may refuse a stock kernel; then the kernel prints nothing
# and the boot goes on under TCG.
accel=tcg
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
  boot kvm
  until grep -q 'Linux version' "$work/console.log" 2>/dev/null; do
    if ! kill -0 "$qemu_pid" 2>/dev/null || [ $((SECONDS - boot_started)) -gt 20 ]; then break; fi
    sleep 1
  done
  if grep -q 'Linux version' "$work/console.log" 2>/dev/null; then
    accel=kvm
  else
    echo "KVM did not start the kernel within 20 s ($(head -c 200 "$work/qemu.log" | tr '\n' ' ')); booting under TCG"
    stop_qemu
    # The aborted boot may have written to the disks: start from clean copies.
    truncate -s 0 "$work/export.img" && truncate -s 8M "$work/export.img"
  fi
fi
[ $accel = kvm ] || boot tcg
# Under TCG a boot takes tens of seconds on an idle machine, minutes on a busy one.
limit=$([ $accel = kvm ] && echo 180 || echo 600)
# The console prefixes the unit's lines with the kernel's time and the process.
until grep -q 'nanbyo-image-test: ready' "$work/console.log" 2>/dev/null; do
  if ! kill -0 "$qemu_pid" 2>/dev/null; then
    echo "qemu ended:"; cat "$work/qemu.log"; tail -40 "$work/console.log"; exit 1
  fi
  if [ $((SECONDS - boot_started)) -gt "$limit" ]; then
    echo "no report within $limit s; the console:"; tail -60 "$work/console.log"; exit 1
  fi
  sleep 1
done
echo "booted ($accel) and ready in $((SECONDS - boot_started)) s"
report=$(tr -d '\r' <"$work/console.log" | sed -n 's/.*\(nanbyo-image-test: \)/\1/p')
printf '%s\n' "$report"
reported() { grep -qx "nanbyo-image-test: $1" <<<"$report"; }
check "first boot ran nanbyo-setup; the services are up (Type=notify: ready)" \
  'reported "unit nanbyo-setup.service active" && reported "unit nanbyo-tund.socket active" &&
   reported "unit nanbyo-appcore.service active" && reported "unit nanbyo-gateway.service active"'
check "first boot made the first operator" 'reported "first operator file present"'
check "the gateway runs as _nanbyo-gw without capabilities" \
  'reported "gateway user _nanbyo-gw" && reported "gateway capabilities 0000000000000000"'
check "no error on the journal of any nanbyo unit" 'reported "journal errors 0"'

pc=$work/pc
rm -rf "$pc" && mkdir -p "$pc"
check "the PC certificate came out on the second disk" \
  'tar -C "$pc" -xf "$work/export.img" && [ -s "$pc/pc.crt" ] && [ -s "$pc/pc.key" ]'
status=$(curl -s -o "$work/login.html" -w '%{http_code}' --max-time 30 --resolve "$name:$port:127.0.0.1" \
           --cacert "$pc/ca-chain.crt" --cert "$pc/pc.crt" --key "$pc/pc.key" "https://$name:$port/login")
check "a PC certificate gets the Japanese login page through the forwarded port" \
  '[ "$status" = 200 ] && grep -q "ログイン" "$work/login.html"' || echo "  status $status"
check "without a PC certificate the gateway refuses" \
  '! curl -s -o /dev/null --max-time 30 --resolve "$name:$port:127.0.0.1" --cacert "$pc/ca-chain.crt" \
       "https://$name:$port/login"'
echo "image build, boot and checks: $((SECONDS - started)) s"
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed; the console:"; tail -80 "$work/console.log"; exit 1; }
echo "image boot: all checks passed"
