#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the run need.
# Idempotent: a second run installs nothing new. Nothing is fetched from elsewhere.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build ccache pkg-config
  # libraries (DESIGN.md "Chosen dependencies")
  libssl-dev libboost-dev libyaml-cpp-dev libsqlite3-dev libsqlitecpp-dev
  nlohmann-json3-dev libcli11-dev libspdlog-dev libsystemd-dev libsodium-dev
  libxml2-dev libcurl4-openssl-dev libmnl-dev libutf8proc-dev
  # HTTP inspection (issue 14, S-3): the engine and Debian's OWASP CRS
  libmodsecurity-dev modsecurity-crs
  # its prefilter (issue 14 part 4): Hyperscan over the CRS patterns, PCRE2 (the engine's own
  # regex library) for the exact checks
  libhyperscan-dev libpcre2-dev
  # GeoIP (issue 14): the reader, and the writer the tests build their small databases with
  libmaxminddb-dev libmaxmind-db-writer-perl
  # tests and run
  catch2 openssl sqlite3 ca-certificates curl python3 dbus-daemon
  # the forms XML tests and benchmark: xmllint validates against the published XSDs (issue 18)
  libxml2-utils
  # VPN tests and benchmark (issue 4): the stock client, the peer server, namespaces
  openconnect ocserv iperf3 iproute2
  # appcore web tests (issue 5): a real SMTP sink, the browser, Japanese fonts for screenshots
  python3-aiosmtpd chromium fonts-noto-cjk
  # privilege separation (issue 13): the gateway's own syscall filter
  libseccomp-dev
  # packages, man pages and the package tests (issue 13): lintian, help2man, a clean root
  lintian help2man debootstrap file
  # the appliance image and its boot test (issue 13): a file system from a folder, a machine to boot it
  e2fsprogs qemu-system-x86
  # IPsec (issue 16, S-10): Debian's charon with the vici plugin, swanctl for the tests, the
  # openssl crypto and kernel-libipsec plugins (not pulled in by charon-systemd), the curl
  # fetcher with which charon asks the gateway's OCSP responder
  charon-systemd strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins
  libstrongswan-extra-plugins
  # metrics (issue 17, O-2): promtool checks both processes' /metrics and tests the alert rules
  prometheus
  # fuzzing (make fuzz)
  clang libclang-rt-14-dev clang-format
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${packages[@]}"
