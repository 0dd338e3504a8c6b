#!/bin/sh
# The openconnect script of the full-tunnel scenario: Debian's stock vpnc-script itself (the
# default route it sets without split-include routes is what the scenario is about),
# guarded so that it can rewrite only the PC namespace's own resolv.conf, and logging each
# call for the harness like client-script.sh.
log="${NANBYO_SCRIPT_LOG:?}"
echo "reason=$reason address=$INTERNAL_IP4_ADDRESS ipv6=${INTERNAL_IP6_NETMASK:-none} dns=$INTERNAL_IP4_DNS splits=${CISCO_SPLIT_INC:-none}" >> "$log"
# `ip netns exec` binds /etc/netns/<namespace>/resolv.conf over /etc/resolv.conf; without
# that mount vpnc-script would rewrite the host's.
if ! findmnt -n /etc/resolv.conf > /dev/null; then
  echo "refused: /etc/resolv.conf is the host's" >> "$log"
  exit 1
fi
/usr/share/vpnc-scripts/vpnc-script || exit $?
if [ "$reason" = connect ]; then echo "configured" >> "$log"; fi
exit 0
