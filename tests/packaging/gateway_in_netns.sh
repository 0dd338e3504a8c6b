#!/bin/bash
# Run by install_root.sh inside `unshare --net` (a network of its own, so
# port 443 is free): the installed nanbyo-gateway, as its unit runs it
# (user _nanbyo-gw, CAP_NET_BIND_SERVICE only, the TLS key as a credential),
# in front of the installed nanbyo-appcore; a hospital PC's certificate from
# the installed CA gets the Japanese login page through it, over TLS with
# the server certificate nanbyo-setup made. Prints the HTTP status, then the page.
# usage: gateway_in_netns.sh ROOT SERVER_NAME
set -uo pipefail
here=$(dirname "$(realpath "$0")")
source "$here/clean_root.sh"
root=$1 name=$2
ip link set lo up
start_appcore "$root"
start_service "$root" _nanbyo-gw gateway-tls.key \
  "--inh-caps=+net_bind_service --ambient-caps=+net_bind_service" \
  /usr/sbin/nanbyo-gateway --policy /etc/nanbyo/gateway.yaml --control-bus none --threads 1
gateway=$SERVICE_PID
for _ in $(seq 600); do  # until port 443 accepts
  (exec 3<>/dev/tcp/127.0.0.1/443) 2>/dev/null && break
  sleep 0.1
done
curl -s -o "$root/tmp/gateway-login.html" -w '%{http_code}\n' --resolve "$name:443:127.0.0.1" \
  --cacert "$root/var/lib/nanbyo/pki/ca-chain.crt" --cert "$root/tmp/pc.crt" --key "$root/tmp/pc.key" \
  "https://$name/login" || true
cat "$root/tmp/gateway-login.html" 2>/dev/null || true
# The shipped inspection: an upload's raw bytes pass to the application core (which answers
# 401 without a session); an SQL injection in a query is refused by the gateway (403).
{
  echo "upload $(curl -s -o /dev/null -w '%{http_code}' --resolve "$name:443:127.0.0.1" \
    --cacert "$root/var/lib/nanbyo/pki/ca-chain.crt" --cert "$root/tmp/pc.crt" --key "$root/tmp/pc.key" \
    -H 'Content-Type: application/octet-stream' --data-binary $'氏名,医籍登録番号\r\n山田 太郎,123456\r\n' \
    "https://$name/api/imports")"
  echo "sqli $(curl -s -o /dev/null -w '%{http_code}' --resolve "$name:443:127.0.0.1" \
    --cacert "$root/var/lib/nanbyo/pki/ca-chain.crt" --cert "$root/tmp/pc.crt" --key "$root/tmp/pc.key" \
    "https://$name/login?next=1%27%20UNION%20SELECT%20password%20FROM%20users--")"
} >"$root/tmp/gateway-inspection.txt"
stop_service "$gateway"
stop_service "$APPCORE_PID"
cat "$root/tmp/nanbyo-gateway.service.log" "$root/tmp/nanbyo-appcore.service.log" >&2
