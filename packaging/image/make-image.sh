#!/bin/bash
# make-image.sh: the appliance as a bootable disk image (issue 13, part 6; O-3).
# A Debian 12 root made by debootstrap with a kernel, systemd and the
# project's .debs installed, the services enabled, first-boot setup
# (nanbyo-setup.service) armed, written as a raw ext4 disk with the kernel and
# initramfs beside it for a virtual machine to boot directly (docs/install.md
# "The image"). Needs root, debootstrap and mkfs.ext4.
#
# usage: make-image.sh --debs DIR --out DIR [--mirror URL] [--base-cache TAR]
#                      [--server-name NAME]... [--overlay DIR] [--enable UNIT]...
#                      [--size SIZE]
#   --base-cache TAR  keep the bootstrapped base here and reuse it (tests, rebuilds)
#   --server-name     the gateway's DNS name for the certificate first boot issues
#   --overlay DIR     files copied over the root last (site additions, tests)
#   --enable UNIT     a further unit to enable (from the overlay)
set -euo pipefail

source "$(dirname "$(realpath "$0")")/debian_base.sh"
# What the appliance runs on besides the project's packages: the libraries
# they link, systemd as init with networkd, D-Bus, a kernel for virtual machines.
BASE_PACKAGES=systemd,systemd-sysv,udev,dbus,kmod,iproute2,linux-image-cloud-amd64,$(
  )initramfs-tools,$NANBYO_RUNTIME_PACKAGES

die() { printf 'make-image: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'make-image: %s\n' "$*"; }

debs="" out="" mirror="" base_cache="" overlay="" size=3G
server_names=() extra_units=()
while [ $# -gt 0 ]; do
  case "$1" in
    --debs) debs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --mirror) mirror=$2; shift 2 ;;
    --base-cache) base_cache=$2; shift 2 ;;
    --server-name) server_names+=("$2"); shift 2 ;;
    --overlay) overlay=$2; shift 2 ;;
    --enable) extra_units+=("$2"); shift 2 ;;
    --size) size=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (--help)" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot, file ownership in the image)"
[ -n "$debs" ] && [ -n "$out" ] || die "--debs and --out are required"
compgen -G "$debs/nanbyo-*.deb" >/dev/null || die "no nanbyo-*.deb in $debs"
command -v debootstrap >/dev/null || die "debootstrap is not installed"
command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 is not installed (e2fsprogs)"
if [ -z "$mirror" ]; then
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || die "no Debian mirror found; give --mirror"
fi
mkdir -p "$out"
out=$(realpath "$out")
root=$out/root
started=$SECONDS

cleanup() {
  for m in proc sys dev; do ! mountpoint -q "$root/$m" || umount -l "$root/$m"; done
}
trap cleanup EXIT

bootstrap() {
  say "debootstrap bookworm from $mirror"
  debootstrap --variant=minbase --include="$BASE_PACKAGES" bookworm "$1" "$mirror" \
    >"$out/debootstrap.log" 2>&1 || { tail -20 "$out/debootstrap.log" >&2; die "debootstrap failed"; }
  rm -f "$1"/var/cache/apt/archives/*.deb
}

rm -rf "$root"
if [ -n "$base_cache" ]; then
  # Named after the package list, so a changed list bootstraps anew.
  base_cache=${base_cache%.tar}-$(printf '%s' "$BASE_PACKAGES" | sha256sum | cut -c1-12).tar
  if [ ! -f "$base_cache" ]; then
    bootstrap "$root"
    tar -C "$root" -cf "$base_cache.tmp" . && mv "$base_cache.tmp" "$base_cache"
  else
    mkdir -p "$root" && tar -C "$root" -xf "$base_cache"
    say "base from $base_cache"
  fi
else
  bootstrap "$root"
fi
say "base ready in $((SECONDS - started)) s"

mount -t proc proc "$root/proc"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

mkdir -p "$root/tmp/debs"
cp "$debs"/nanbyo-*.deb "$root/tmp/debs/"
in_root sh -c 'dpkg -i /tmp/debs/*.deb' >"$out/dpkg.log" 2>&1 || { tail -30 "$out/dpkg.log" >&2; die "dpkg -i failed"; }
rm -rf "$root/tmp/debs"
say "installed: $(in_root dpkg-query -W -f '${Package} ${Version}, ' 'nanbyo-*')"

# The machine: its name, root file system, DHCP on the first wired interface.
echo nanbyo-appliance >"$root/etc/hostname"
printf '127.0.1.1\tnanbyo-appliance\n' >>"$root/etc/hosts"
printf '/dev/vda\t/\text4\terrors=remount-ro\t0\t1\n' >"$root/etc/fstab"
cat >"$root/etc/systemd/network/80-wired.network" <<'NET'
[Match]
Name=en* eth*

[Network]
DHCP=yes
NET
# The machine id is made on first boot, so every copy of the image differs.
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"

# First boot: nanbyo-setup.service (nanbyo-tools) makes the CA, the server certificate, the
# master key and the first operator before the services start.
if [ ${#server_names[@]} -gt 0 ]; then
  printf 'NANBYO_SETUP_ARGS=%s\n' "$(printf -- '--server-name %s ' "${server_names[@]}")" \
    >"$root/etc/nanbyo/setup.env"
fi
[ -z "$overlay" ] || cp -a "$overlay/." "$root/"
in_root systemctl enable systemd-networkd.service nanbyo-setup.service nanbyo-tund.socket \
  nanbyo-appcore.service nanbyo-gateway.service "${extra_units[@]}" >"$out/enable.log" 2>&1 ||
  { cat "$out/enable.log" >&2; die "systemctl enable failed"; }

cleanup
kernel=$(ls "$root"/boot/vmlinuz-* | sort -V | tail -1)
initrd=$(ls "$root"/boot/initrd.img-* | sort -V | tail -1)
install -m 0644 "$kernel" "$out/vmlinuz"
install -m 0644 "$initrd" "$out/initrd.img"
rm -f "$out/nanbyo-appliance.img"
truncate -s "$size" "$out/nanbyo-appliance.img"
mkfs.ext4 -q -L nanbyo-root -d "$root" "$out/nanbyo-appliance.img"
rm -rf "$root"
say "image $out/nanbyo-appliance.img with $(basename "$kernel") in $((SECONDS - started)) s"
say "boot: qemu-system-x86_64 -m 1024 -kernel $out/vmlinuz -initrd $out/initrd.img -append 'root=/dev/vda console=ttyS0' -drive file=$out/nanbyo-appliance.img,format=raw,if=virtio -nic user,hostfwd=tcp::8443-:443 -nographic"
