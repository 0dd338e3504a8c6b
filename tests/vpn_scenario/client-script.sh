#!/bin/sh
# The openconnect client's configuration script in the VPN scenarios (instead of
# vpnc-script, which would rewrite /etc/resolv.conf): sets the tunnel address, MTU and
# the split-include routes the gateway pushed, and logs each call's reason and values.
log="${NANBYO_SCRIPT_LOG:?}"
echo "reason=$reason address=$INTERNAL_IP4_ADDRESS mtu=$INTERNAL_IP4_MTU tundev=$TUNDEV splits=$CISCO_SPLIT_INC" >> "$log"
case "$reason" in
  connect)
    ip addr add "$INTERNAL_IP4_ADDRESS/32" dev "$TUNDEV"
    ip link set dev "$TUNDEV" up mtu "${INTERNAL_IP4_MTU:-1400}"
    i=0
    while [ "$i" -lt "${CISCO_SPLIT_INC:-0}" ]; do
      eval addr="\$CISCO_SPLIT_INC_${i}_ADDR"
      eval bits="\$CISCO_SPLIT_INC_${i}_MASKLEN"
      echo "route=$addr/$bits" >> "$log"
      ip route add "$addr/$bits" dev "$TUNDEV"
      i=$((i + 1))
    done
    echo "configured" >> "$log"
    ;;
esac
exit 0
