# Sourced by packaging/image/make-image.sh and tests/packaging/clean_root.sh: what a
# Debian 12 root needs beneath the project's packages, and where to fetch it from.
#   NANBYO_RUNTIME_PACKAGES  the libraries, data and programs the .debs use (debootstrap --include;
#                            strongSwan's charon for the gateway's IPsec, issue 16)
#   debian_mirror            the mirror this machine's apt uses, or nothing

NANBYO_RUNTIME_PACKAGES=libssl3,libsqlite3-0,libyaml-cpp0.7,libsystemd0,libsodium23,libxml2,$(
  )libcurl4,libmnl0,libutf8proc2,libseccomp2,libmodsecurity3,modsecurity-crs,libmaxminddb0,$(
  )libhyperscan5,libpcre2-8-0,$(
  )charon-systemd,libstrongswan-standard-plugins,libstrongswan-extra-plugins

debian_mirror() {
  grep -hs -E '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list \
    /etc/apt/sources.list 2>/dev/null | grep -v -- '-security' | head -1 |
    sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//; s/[[:space:]].*//' ||
    true
}
