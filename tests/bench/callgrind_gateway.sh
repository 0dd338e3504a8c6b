#!/usr/bin/env bash
# Instructions per request and per handshake of nanbyo-gateway (or of nginx with
# the same configuration, CG_PEER=nginx), counted by callgrind: repeatable on a
# shared, loaded machine where requests/s are not (within a few per cent: how
# many requests one epoll wake-up serves still varies). The proxy runs under
# valgrind (one worker; nginx without master process); mtls_load drives it; the
# counters are zeroed after the warm-up and dumped after the window, and the
# upstream's stub_status says how many requests fell in it. Everything the
# proxy does counts, the gateway's audit writer thread included.
#
#   tests/bench/callgrind_gateway.sh                # keep-alive and new-connection
#   CG_PEER=nginx tests/bench/callgrind_gateway.sh  # the same for nginx
#   CG_PEER=nginx-lean tests/bench/callgrind_gateway.sh  # nginx as users write it (issue 15)
#   CG_MODES=keepalive CG_SECONDS=20 tests/bench/callgrind_gateway.sh
# Prints "instructions/request" (keep-alive, 50 connections) and
# "instructions/handshake" (a new mutual-TLS connection + one request).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
SECONDS_PER_MODE=${CG_SECONDS:-15}
WARMUP=${CG_WARMUP:-8}  # valgrind start-up and the keep-alive handshakes
MODES=${CG_MODES:-keepalive newconn}
PEER=${CG_PEER:-gateway}
LOAD=$BUILD/tests/bench/mtls_load
GATEWAY=$BUILD/gateway/nanbyo-gateway
PKI_BIN=$BUILD/pki/nanbyo-pki
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for b in "$LOAD" "$GATEWAY" "$PKI_BIN" "$NGINX"; do
  [ -x "$b" ] || { echo "callgrind_gateway: missing $b" >&2; exit 1; }
done

DIR=$(mktemp -d "${TMPDIR:-/tmp}/nanbyo-callgrind.XXXXXX")
chmod 755 "$DIR"
STARTED=()
cleanup() {
  local pid
  for pid in "${STARTED[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${STARTED[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${CG_KEEP:-0}" = 1 ]; then echo "kept $DIR" >&2; else rm -rf "$DIR"; fi
}
trap cleanup EXIT

pki() { "$PKI_BIN" --dir "$DIR/ca" "$@" >/dev/null; }
pki init
pki issue server --ip 127.0.0.1 --dns localhost --out "$DIR/srv"
pki issue client --hospital 1310000001 --terminal pc01 --out "$DIR/pc01" --password-file "$DIR/pc01.pw"

port() { echo $((20000 + RANDOM % 30000)); }
UPSTREAM_PORT=$(port); GATEWAY_PORT=$(port); METRICS_PORT=$(port)
mkdir -p "$DIR/www" "$DIR/audit" "$DIR/nginx-upstream-tmp" "$DIR/nginx-mtls-tmp" "$DIR/nginx-lean-tmp"
head -c 1024 /dev/zero | tr '\0' 'x' >"$DIR/www/1k.bin"
render() {
  sed -e "s|@DIR@|$DIR|g" -e "s|@AUDIT_DIR@|$DIR/audit|g" -e "s|@UPSTREAM_PORT@|$UPSTREAM_PORT|g" \
    -e "s|@GATEWAY_PORT@|$GATEWAY_PORT|g" -e "s|@NGINX_PORT@|$GATEWAY_PORT|g" -e "s|@LEAN_PORT@|$GATEWAY_PORT|g" \
    -e "s|@METRICS_PORT@|$METRICS_PORT|g" -e "s|@PROXY_THREADS@|1|g" \
    -e "s|@UPSTREAM_WORKERS@|1|g" -e "s|@POOL_SIZE@|64|g" "$1" >"$2"
}
render "$HERE/nginx-upstream.conf.in" "$DIR/nginx-upstream.conf"
render "$HERE/gateway-mtls.yaml.in" "$DIR/gateway.yaml"
render "$HERE/nginx-mtls.conf.in" "$DIR/nginx-mtls.conf"
render "$HERE/nginx-mtls-lean.conf.in" "$DIR/nginx-mtls-lean.conf"
"$NGINX" -p "$DIR/" -c "$DIR/nginx-upstream.conf" -g 'daemon off;' 2>"$DIR/upstream.stderr" &
STARTED+=($!)
if [ "$PEER" = nginx ] || [ "$PEER" = nginx-lean ]; then
  valgrind --tool=callgrind --callgrind-out-file="$DIR/cg.out" "$NGINX" -p "$DIR/" \
    -c "$DIR/$(sed s/nginx/nginx-mtls/ <<<"$PEER").conf" -g 'daemon off; master_process off;' \
    2>"$DIR/proxy.stderr" &
else
  valgrind --tool=callgrind --callgrind-out-file="$DIR/cg.out" \
    "$GATEWAY" --policy "$DIR/gateway.yaml" --threads 1 2>"$DIR/proxy.stderr" &
fi
PROXY_PID=$!; STARTED+=("$PROXY_PID")
for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$GATEWAY_PORT") 2>/dev/null && break; sleep 0.1; done

upstream_requests() {  # what the upstream has served: the same count for either proxy
  exec 4<>"/dev/tcp/127.0.0.1/$UPSTREAM_PORT"
  printf 'GET /stub_status HTTP/1.0\r\nHost: upstream\r\n\r\n' >&4
  awk '/^ *[0-9]+ +[0-9]+ +[0-9]+ *$/ { print $3 }' <&4
  exec 4<&-
}
for mode in $MODES; do
  conns=50; [ "$mode" = newconn ] && conns=16
  "$LOAD" --ca "$DIR/ca/ca-chain.crt" --server-name 127.0.0.1 --cert "$DIR/pc01.crt" \
    --key "$DIR/pc01.key" --port "$GATEWAY_PORT" --path /1k.bin --expect-body 1024 --mode "$mode" \
    -c "$conns" -d $((SECONDS_PER_MODE + 5)) --warmup "$WARMUP" >"$DIR/load-$mode.txt" 2>&1 &
  load_pid=$!; STARTED+=("$load_pid")
  sleep "$WARMUP"
  r0=$(upstream_requests)
  callgrind_control -z "$PROXY_PID" >/dev/null
  sleep "$SECONDS_PER_MODE"
  callgrind_control --dump="$mode" "$PROXY_PID" >/dev/null
  r1=$(upstream_requests)
  wait "$load_pid" || true
  file=$(ls -t "$DIR"/cg.out.* | head -n 1)
  instr=$(awk '/^(summary|totals):/ { print $2; exit }' "$file")
  cp "$file" "${CG_SAVE:-$DIR}/callgrind.$PEER.$mode.out" 2>/dev/null || true
  # new-connection mode: one request per connection, so requests = handshakes
  awk -v p="$PEER" -v m="$mode" -v i="$instr" -v r=$((r1 - r0)) 'BEGIN {
    printf "%s %s: %d requests, %.0f instructions/%s\n", p, m, r, i / r,
      m == "newconn" ? "handshake (+1 request)" : "request" }'
done
