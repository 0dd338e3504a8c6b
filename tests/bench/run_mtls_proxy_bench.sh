#!/usr/bin/env bash
# The mutual-TLS reverse-proxy benchmark in one command: nanbyo-gateway and
# nginx side by side in the same run, same certificates, same upstream, same
# load client (mtls_load). Prints a table with the ratios gateway/nginx and the
# gateway's revoke-to-closed latency. Not a pass/fail test. See README.md.
#
#   tests/bench/run_mtls_proxy_bench.sh            # 10 s per run
#   BENCH_SECONDS=3 tests/bench/run_mtls_proxy_bench.sh
#   BENCH_INSPECTION=1 tests/bench/run_mtls_proxy_bench.sh
#       both peers inspect (S-3, issue 14): the gateway with its inspection section,
#       nginx with Debian's libnginx-mod-http-modsecurity; the same libmodsecurity, CRS
#       3.3.4 at paranoia 1 and the project's rules for Japanese text on both sides; adds
#       a keep-alive run with BENCH_ATTACK_PERCENT (default 5) % attacks (an XSS query
#       both must refuse with 403; a 200 is a missed detection, counted)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
DURATION=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-1}
KEEPALIVE_CONNS=${BENCH_CONNECTIONS:-50}
NEWCONN_CLIENTS=${BENCH_NEW_CLIENTS:-16}
PROXY_THREADS=${BENCH_PROXY_THREADS:-2}
CLIENT_THREADS=${BENCH_CLIENT_THREADS:-1}
UPSTREAM_WORKERS=${BENCH_UPSTREAM_WORKERS:-1}
POOL_SIZE=${BENCH_POOL_SIZE:-64}
REVOKE_ROUNDS=${BENCH_REVOKE_ROUNDS:-5}
ROUNDS=${BENCH_ROUNDS:-1}
INSPECTION=${BENCH_INSPECTION:-0}
ATTACK_PERCENT=${BENCH_ATTACK_PERCENT:-5}
ATTACK_PATH='/1k.bin?q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E'
PERF=${BENCH_PERF:-0}  # 1: perf stat (syscalls) + perf record (time by library) of each proxy run
BODY_BYTES=1024

say() { printf '%s\n' "$*" >&2; }
die() { say "run_mtls_proxy_bench: $*"; exit 1; }

# --- nginx (Debian package "nginx"), installed once -------------------------
NGINX=$(command -v nginx || true)
[ -n "$NGINX" ] || [ ! -x /usr/sbin/nginx ] || NGINX=/usr/sbin/nginx
if [ -z "$NGINX" ]; then
  say "installing nginx (Debian package) ..."
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends nginx >/dev/null
  NGINX=/usr/sbin/nginx
fi

if [ "$INSPECTION" = 1 ] && [ ! -f /usr/lib/nginx/modules/ngx_http_modsecurity_module.so ]; then
  say "installing libnginx-mod-http-modsecurity (Debian package) ..."
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    libnginx-mod-http-modsecurity modsecurity-crs >/dev/null
fi

# --- build (at most two jobs) ------------------------------------------------
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  [ -f "$BUILD/build.ninja" ] || [ -f "$BUILD/Makefile" ] ||
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j2 --target mtls_load nanbyo-gateway nanbyo-pki >/dev/null
fi
LOAD=$BUILD/tests/bench/mtls_load
GATEWAY=$BUILD/gateway/nanbyo-gateway
PKI_BIN=$BUILD/pki/nanbyo-pki
for b in "$LOAD" "$GATEWAY" "$PKI_BIN"; do [ -x "$b" ] || die "missing $b (build it first)"; done

# --- a temp dir for everything; only the PIDs started here are stopped ------
DIR=$(mktemp -d "${TMPDIR:-/tmp}/nanbyo-mtls-bench.XXXXXX")
chmod 755 "$DIR"  # nginx workers (user nobody) read www/
STARTED=()
cleanup() {
  local pid
  for pid in "${STARTED[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${STARTED[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then say "kept $DIR"; else rm -rf "$DIR"; fi
}
forget() {  # a PID that was waited for: never signal it later (it may be reused)
  local keep=() pid
  for pid in "${STARTED[@]}"; do [ "$pid" = "$1" ] || keep+=("$pid"); done
  STARTED=("${keep[@]}")
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- PKI: CA, server certificate, the load client's and the revoked ones -----
pki() { "$PKI_BIN" --dir "$DIR/ca" "$@"; }
pki init >/dev/null
pki issue server --ip 127.0.0.1 --dns localhost --out "$DIR/srv" >/dev/null
pki issue client --hospital 1310000001 --terminal pc01 --out "$DIR/pc01" \
  --password-file "$DIR/pc01.pw" >/dev/null
for i in $(seq 1 "$REVOKE_ROUNDS") nginx; do
  pki issue client --hospital 1310000001 --terminal "rev-$i" --out "$DIR/rev-$i" \
    --password-file "$DIR/rev-$i.pw" >/dev/null
done
# The name, as a browser sends it in SNI and Host: a numeric Host is itself a CRS alert
# (920350, anomaly score 3), which would make every "clean" request an alert and an audit
# record in the inspecting runs.
TLS_ARGS=(--ca "$DIR/ca/ca-chain.crt" --server-name localhost)
CLIENT_ARGS=("${TLS_ARGS[@]}" --cert "$DIR/pc01.crt" --key "$DIR/pc01.key")

# --- ports ---------------------------------------------------------------------
USED_PORTS=" "
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 30000))
    case "$USED_PORTS" in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      USED_PORTS="$USED_PORTS$p "
      echo "$p"
      return
    fi
  done
  die "no free port"
}
UPSTREAM_PORT=$(free_port); NGINX_PORT=$(free_port); GATEWAY_PORT=$(free_port); METRICS_PORT=$(free_port)
LEAN_PORT=$(free_port)
# With inspection, two more gateways run in the same run (issue 14): the same inspection
# without the prefilter (the engine on every request), and no inspection at all.
GW_ENGINE_PORT=$(free_port); GW_PLAIN_PORT=$(free_port)
GW_ENGINE_METRICS=$(free_port); GW_PLAIN_METRICS=$(free_port)
# Without inspection a third peer runs too (issue 15): nginx as its users write an mTLS
# proxy (nginx-mtls-lean.conf.in, one X-Client-DN header), beside the equivalent one.
LEAN=0; [ "$INSPECTION" = 1 ] || LEAN=1
wait_port() {  # port name [tenths of a second]
  for _ in $(seq 1 "${3:-100}"); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  die "$2 does not listen on port $1 (logs in $DIR; BENCH_KEEP=1 keeps them)"
}

# --- configuration from the templates -----------------------------------------
AUDIT_DIR=${BENCH_AUDIT_DIR:-$DIR/audit}
mkdir -p "$DIR/www" "$AUDIT_DIR" "$DIR/nginx-mtls-tmp" "$DIR/nginx-upstream-tmp" "$DIR/nginx-lean-tmp"
head -c "$BODY_BYTES" /dev/zero | tr '\0' 'x' >"$DIR/www/1k.bin"
render() {
  sed -e "s|@DIR@|$DIR|g" -e "s|@AUDIT_DIR@|$AUDIT_DIR|g" -e "s|@UPSTREAM_PORT@|$UPSTREAM_PORT|g" \
    -e "s|@NGINX_PORT@|$NGINX_PORT|g" -e "s|@GATEWAY_PORT@|$GATEWAY_PORT|g" -e "s|@LEAN_PORT@|$LEAN_PORT|g" \
    -e "s|@METRICS_PORT@|$METRICS_PORT|g" -e "s|@PROXY_THREADS@|$PROXY_THREADS|g" \
    -e "s|@UPSTREAM_WORKERS@|$UPSTREAM_WORKERS|g" -e "s|@POOL_SIZE@|$POOL_SIZE|g" "$1" >"$2"
}
render "$HERE/nginx-upstream.conf.in" "$DIR/nginx-upstream.conf"
render "$HERE/nginx-mtls.conf.in" "$DIR/nginx-mtls.conf"
render "$HERE/nginx-mtls-lean.conf.in" "$DIR/nginx-lean.conf"
render "$HERE/gateway-mtls.yaml.in" "$DIR/gateway.yaml"
if [ "$INSPECTION" = 1 ]; then
  # The same rules on both sides: what the gateway builds (gateway/inspection/inspector.cpp)
  # written as one ModSecurity file for nginx, as its users include the CRS.
  LOCAL_RULES=$ROOT/packaging/inspection/japanese-text.conf
  other_gateway() {  # name port metrics-port -> $DIR/NAME.yaml: its own port, metrics, audit log
    sed -e "s|gateway-audit.log|$1-audit.log|" -e "s|127.0.0.1:$GATEWAY_PORT|127.0.0.1:$2|" \
      -e "s|127.0.0.1:$METRICS_PORT|127.0.0.1:$3|" "$DIR/gateway.yaml" >"$DIR/$1.yaml"
  }
  other_gateway gwplain "$GW_PLAIN_PORT" "$GW_PLAIN_METRICS"
  printf 'inspection:\n  mode: blocking\n  paranoia_level: 1\n  local_rules: %s\n' "$LOCAL_RULES" \
    >>"$DIR/gateway.yaml"
  other_gateway gwengine "$GW_ENGINE_PORT" "$GW_ENGINE_METRICS"
  printf '  prefilter: false\n' >>"$DIR/gwengine.yaml"
  {
    printf '%s\n' 'SecRuleEngine On' 'SecRequestBodyAccess On' 'SecRequestBodyLimit 1073741824' \
      'SecRequestBodyNoFilesLimit 1073741824' 'SecResponseBodyAccess Off' 'SecAuditEngine Off' \
      'SecRule REQUEST_HEADERS:Content-Type "@rx (?:application(?:/soap\+|/)|text/)xml" "id:9400100,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"' \
      'SecRule REQUEST_HEADERS:Content-Type "@rx application/json" "id:9400101,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"' \
      'Include /etc/modsecurity/crs/crs-setup.conf' \
      'SecAction "id:9400000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=1"'
    for f in /usr/share/modsecurity-crs/rules/*.conf; do
      case "$(basename "$f")" in REQUEST-949*) echo "Include $LOCAL_RULES" ;; esac
      echo "Include $f"
    done
  } >"$DIR/modsecurity.conf"
  sed -i -e '1i load_module /usr/lib/nginx/modules/ngx_http_modsecurity_module.so;' \
    -e "s|^    location / {|    modsecurity on;\n    modsecurity_rules_file $DIR/modsecurity.conf;\n\n    location / {|" \
    "$DIR/nginx-mtls.conf"
fi

# --- start the upstream, nginx and the gateway ----------------------------------
start_nginx() {  # name conf -> master PID
  "$NGINX" -t -q -p "$DIR/" -c "$DIR/$2" 2>"$DIR/$1.stderr" || { cat "$DIR/$1.stderr" >&2; die "$2 rejected"; }
  "$NGINX" -p "$DIR/" -c "$DIR/$2" -g 'daemon off;' 2>>"$DIR/$1.stderr" &
  STARTED+=($!)
}
start_nginx nginx-upstream nginx-upstream.conf; UPSTREAM_PID=${STARTED[-1]}
start_nginx nginx-mtls nginx-mtls.conf; NGINX_PID=${STARTED[-1]}
if [ "$LEAN" = 1 ]; then start_nginx nginx-lean nginx-lean.conf; LEAN_PID=${STARTED[-1]}; fi
"$GATEWAY" --policy "$DIR/gateway.yaml" --threads "$PROXY_THREADS" 2>"$DIR/gateway.stderr" &
GATEWAY_PID=$!; STARTED+=("$GATEWAY_PID")
if [ "$INSPECTION" = 1 ]; then
  "$GATEWAY" --policy "$DIR/gwengine.yaml" --threads "$PROXY_THREADS" 2>"$DIR/gwengine.stderr" &
  GW_ENGINE_PID=$!; STARTED+=("$GW_ENGINE_PID")
  "$GATEWAY" --policy "$DIR/gwplain.yaml" --threads "$PROXY_THREADS" 2>"$DIR/gwplain.stderr" &
  GW_PLAIN_PID=$!; STARTED+=("$GW_PLAIN_PID")
fi
wait_port "$UPSTREAM_PORT" "the upstream nginx"
wait_port "$NGINX_PORT" "nginx"
[ "$LEAN" = 0 ] || wait_port "$LEAN_PORT" "the lean nginx"
wait_port "$GATEWAY_PORT" "nanbyo-gateway" 300  # the prefilter's databases take seconds
if [ "$INSPECTION" = 1 ]; then
  wait_port "$GW_ENGINE_PORT" "nanbyo-gateway without the prefilter"
  wait_port "$GW_PLAIN_PORT" "nanbyo-gateway without inspection"
fi
sleep 0.3  # nginx workers up
family() { echo "$1 $(pgrep -P "$1" | tr '\n' ' ')"; }  # a master and its workers
NGINX_PIDS=$(family "$NGINX_PID"); UPSTREAM_PIDS=$(family "$UPSTREAM_PID")
LEAN_PIDS=; [ "$LEAN" = 0 ] || LEAN_PIDS=$(family "$LEAN_PID")
csv() { echo "$*" | xargs | tr ' ' ','; }
WATCH=(--watch "upstream=$(csv $UPSTREAM_PIDS)")

# --- the two peers must send the upstream the same thing ----------------------
identity() {  # port
  "$LOAD" "${CLIENT_ARGS[@]}" --port "$1" --mode once --path /echo-identity | tail -n 1
}
GW_ID=$(identity "$GATEWAY_PORT") || die "gateway: /echo-identity failed"
NGX_ID=$(identity "$NGINX_PORT") || die "nginx: /echo-identity failed"
say "upstream sees from the gateway: $GW_ID"
say "upstream sees from nginx:       $NGX_ID"
[ "$GW_ID" = "$NGX_ID" ] || say "WARNING: the proxies forward different identity headers"
rss_kb() {  # field pids...: sum of a /proc/PID/status field in kB
  local f=$1 total=0 pid v; shift
  for pid in "$@"; do
    v=$(awk -v f="$f:" '$1 == f { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
pss_kb() {
  local total=0 pid v
  for pid in "$@"; do
    v=$(awk '$1 == "Pss:" { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
GW_RSS_IDLE=$(rss_kb VmRSS "$GATEWAY_PID"); NGX_RSS_IDLE=$(rss_kb VmRSS $NGINX_PIDS)

upstream_accepts() {
  local reply
  exec 4<>"/dev/tcp/127.0.0.1/$UPSTREAM_PORT"
  printf 'GET /stub_status HTTP/1.0\r\nHost: upstream\r\n\r\n' >&4
  reply=$(cat <&4); exec 4<&-
  awk '/^ *[0-9]+ +[0-9]+ +[0-9]+ *$/ { print $1 }' <<<"$reply"
}

# --- load runs -------------------------------------------------------------------
# Each round runs both peers back to back, in alternating order (g n, n g, ...);
# the table shows the median of the rounds.
declare -A R  # R[peer.mode.key] = one value per round, space-separated
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
PERF_JOBS=()
perf_start() {  # pids-csv name: profile the proxy over the measured window
  PERF_JOBS=()
  [ "$PERF" = 1 ] && command -v perf >/dev/null || return 0
  (sleep "$WARMUP"; exec perf stat -x, -e raw_syscalls:sys_enter,context-switches -p "$1" \
    -o "$DIR/perf-$2.stat" -- sleep "$DURATION") >/dev/null 2>&1 &
  PERF_JOBS+=($!); STARTED+=($!)
  (sleep "$WARMUP"; exec perf record -q -F 499 -p "$1" -o "$DIR/perf-$2.data" -- sleep "$DURATION") \
    >/dev/null 2>&1 &
  PERF_JOBS+=($!); STARTED+=($!)
}
perf_report() {  # name responses
  [ ${#PERF_JOBS[@]} -gt 0 ] || return 0
  wait "${PERF_JOBS[@]}" 2>/dev/null || true
  local job
  for job in "${PERF_JOBS[@]}"; do forget "$job"; done
  awk -F, -v n="$2" '$3 ~ /sys_enter|context-switches/ && n > 0 {
    printf "  perf: %.2f %s per response\n", $1 / n, $3 }' "$DIR/perf-$1.stat" >&2
  say "  perf: time by library: $(perf report -i "$DIR/perf-$1.data" --sort dso --stdio 2>/dev/null |
    awk '/^ +[0-9.]+%/ { printf "%s %s, ", $2, $1 }' | cut -c1-160)"
}
run() {  # peer mode round
  local peer=$1 mode=$2 round=$3 port=$GATEWAY_PORT conns=$KEEPALIVE_CONNS pids=$GATEWAY_PID
  local out line before after watch k n load_mode=$mode attack=()
  [ "$peer" = nginx ] && port=$NGINX_PORT && pids=$(csv $NGINX_PIDS)
  [ "$peer" = lean ] && port=$LEAN_PORT && pids=$(csv $LEAN_PIDS)
  [ "$peer" = gwengine ] && port=$GW_ENGINE_PORT && pids=$GW_ENGINE_PID
  [ "$peer" = gwplain ] && port=$GW_PLAIN_PORT && pids=$GW_PLAIN_PID
  [ "$mode" = newconn ] && conns=$NEWCONN_CLIENTS
  if [ "$mode" = attackmix ]; then
    load_mode=keepalive
    attack=(--attack-path "$ATTACK_PATH" --attack-percent "$ATTACK_PERCENT")
  fi
  watch=(--watch "proxy=$pids")
  case "$peer" in gateway | gwengine | gwplain) watch+=(--watch-threads proxy) ;; esac  # by TID
  before=$(upstream_accepts)
  say ""
  perf_start "$pids" "$peer-$mode-$round"
  out=$("$LOAD" "${CLIENT_ARGS[@]}" --port "$port" --path /1k.bin --expect-body "$BODY_BYTES" \
    --mode "$load_mode" -c "$conns" -t "$CLIENT_THREADS" -d "$DURATION" --warmup "$WARMUP" \
    --label "$peer" "${attack[@]}" "${watch[@]}" "${WATCH[@]}") || true
  after=$(upstream_accepts)
  say "$out"
  line=$(grep '^RESULT' <<<"$out") || die "$peer $mode: no result"
  perf_report "$peer-$mode-$round" "$(awk -v r="$(field "$line" rps)" -v d="$DURATION" 'BEGIN { print r * d }')"
  for k in rps p50_ms p99_ms errors server_closed attacks_blocked attacks_passed client_cpu_us \
    cpu_proxy_us cpu_upstream_us other_cores; do
    R[$peer.$mode.$k]="${R[$peer.$mode.$k]:-} $(field "$line" "$k")"
  done
  n=$((after - before - 1))
  R[$peer.$mode.upstream_conns]="${R[$peer.$mode.upstream_conns]:-} $n"
  say "  upstream connections opened by the proxy: $n"
  if [ "$load_mode" = keepalive ] && [ "$n" -gt $((2 * POOL_SIZE * PROXY_THREADS)) ]; then
    say "  WARNING: $peer does not keep upstream connections alive: its figures are not comparable"
  fi
  sleep 1
}
say "== $ROUNDS round(s) of $DURATION s per run after $WARMUP s warm-up; proxies with $PROXY_THREADS" \
  "thread(s)/worker(s); client $CLIENT_THREADS thread(s); audit log in $AUDIT_DIR"
MODES="keepalive newconn"
[ "$INSPECTION" = 1 ] && MODES="keepalive attackmix newconn"
for mode in $MODES; do
  for round in $(seq 1 "$ROUNDS"); do
    order="gateway nginx"; [ $((round % 2)) -eq 0 ] && order="nginx gateway"
    [ "$LEAN" = 0 ] || [ "$mode" = attackmix ] || order="$order lean"
    [ "$INSPECTION" = 0 ] || [ "$mode" = newconn ] || order="$order gwengine gwplain"
    for peer in $order; do run "$peer" "$mode" "$round"; done
  done
done
GW_HWM=$(rss_kb VmHWM "$GATEWAY_PID"); NGX_HWM=$(rss_kb VmHWM $NGINX_PIDS)
GW_PSS=$(pss_kb "$GATEWAY_PID"); NGX_PSS=$(pss_kb $NGINX_PIDS)

# --- revoke-to-closed: a live keep-alive connection, then nanbyo-pki revoke ---------
# The held connection's client also watches crl.pem (inotify), so the time from
# the CRL being replaced to the close is the gateway's own part.
now_ns() { date +%s%N; }
hold() {  # name port [timeout] -> starts a held connection, sets HOLD_PID and HOLD_SERIAL
  local out="$DIR/hold-$1.txt"
  "$LOAD" "${TLS_ARGS[@]}" --cert "$DIR/rev-$1.crt" --key "$DIR/rev-$1.key" --port "$2" \
    --path /1k.bin --mode hold --hold-timeout "${3:-10}" --watch-file "$DIR/ca/crl.pem" >"$out" 2>&1 &
  HOLD_PID=$!; STARTED+=("$HOLD_PID")
  for _ in $(seq 1 100); do grep -qs '^ready' "$out" && break; sleep 0.05; done
  HOLD_SERIAL=$(sed -n 's/^ready serial=//p' "$out")
  [ -n "$HOLD_SERIAL" ] || { cat "$out" >&2; die "hold connection $1 did not start"; }
}
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e6 }'; }
REVOKE_FROM_START=(); REVOKE_FROM_CRL=(); REVOKE_CMD=()
for i in $(seq 1 "$REVOKE_ROUNDS"); do
  hold "$i" "$GATEWAY_PORT"
  t0=$(now_ns)
  pki revoke --serial "$HOLD_SERIAL" --reason key-compromise >/dev/null
  t1=$(now_ns)
  wait "$HOLD_PID" || true; forget "$HOLD_PID"
  line=$(grep '^closed' "$DIR/hold-$i.txt" || true)
  closed=$(sed -n 's/.*closed realtime_ns=\([0-9]*\).*/\1/p' <<<"$line")
  published=$(sed -n 's/.*published_realtime_ns=\([0-9]*\).*/\1/p' <<<"$line")
  if [ -z "$closed" ]; then say "revocation $i: the gateway did not close the connection"; continue; fi
  REVOKE_FROM_START+=("$(ms_between "$t0" "$closed")")
  REVOKE_CMD+=("$(ms_between "$t0" "$t1")")
  [ -z "$published" ] || REVOKE_FROM_CRL+=("$(ms_between "$published" "$closed")")
done
# nginx for comparison: it reads ssl_crl at start and reload only.
hold nginx "$NGINX_PORT" 3
pki revoke --serial "$HOLD_SERIAL" --reason key-compromise >/dev/null
wait "$HOLD_PID" || true; forget "$HOLD_PID"
NGINX_REVOKE=$(grep -q '^closed' "$DIR/hold-nginx.txt" && echo "closed" || echo "still open after 3 s")

# --- the table -------------------------------------------------------------------------
stats() {  # values... -> "min / median / max"
  printf '%s\n' "$@" | sort -n | awk 'NF { v[++n] = $1 } END {
    if (n == 0) { print "n/a"; exit }
    m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    printf "%.2f / %.2f / %.2f ms (%d rounds)", v[1], m, v[n], n }'
}
median() {  # values... -> their median
  printf '%s\n' $* | sort -g | awk 'NF { v[++n] = $1 } END {
    if (n == 0) { print "n/a"; exit }
    print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'
}
sum() { printf '%s\n' $* | awk '{ s += $1 } END { print s + 0 }'; }
row() {  # label gateway nginx better
  awk -v l="$1" -v g="$2" -v n="$3" -v b="$4" 'BEGIN {
    r = (n + 0 != 0 && g ~ /^[0-9.]+$/) ? sprintf("%.2f", g / n) : ""
    printf "%-42s %14s %14s %9s   %s\n", l, g, n, r, b }'
}
m() { median "${R[$1]}"; }
mi() { awk -v v="$(m "$1")" 'BEGIN { printf "%.0f", v }'; }
echo
echo "mutual-TLS reverse proxy: nanbyo-gateway vs nginx $("$NGINX" -v 2>&1 | sed 's|.*/||'), same run" \
  "$([ "$INSPECTION" = 1 ] && echo "-- BOTH INSPECTING: libmodsecurity + OWASP CRS 3.3.4 (PL1) + the project's rules")"
echo "ECDSA P-256, TLS 1.3, ${BODY_BYTES}-byte body from nginx static ($UPSTREAM_WORKERS worker), $DURATION s per run," \
  "median of $ROUNDS round(s)"
echo "proxies on $PROXY_THREADS thread(s)/worker(s), $(nproc) cores shared with the client and the upstream"
printf '%-42s %14s %14s %9s   %s\n' "" "nanbyo-gateway" "nginx" "gw/nginx" "better"
row "keep-alive req/s ($KEEPALIVE_CONNS conns)" "$(mi gateway.keepalive.rps)" "$(mi nginx.keepalive.rps)" ">1"
row "keep-alive p50 ms" "$(m gateway.keepalive.p50_ms)" "$(m nginx.keepalive.p50_ms)" "<1"
row "keep-alive p99 ms" "$(m gateway.keepalive.p99_ms)" "$(m nginx.keepalive.p99_ms)" "<1"
row "proxy CPU us per request" "$(m gateway.keepalive.cpu_proxy_us)" "$(m nginx.keepalive.cpu_proxy_us)" "<1"
if [ "$INSPECTION" = 1 ]; then
  row "$ATTACK_PERCENT % attacks: req/s" "$(mi gateway.attackmix.rps)" "$(mi nginx.attackmix.rps)" ">1"
  row "$ATTACK_PERCENT % attacks: p99 ms" "$(m gateway.attackmix.p99_ms)" "$(m nginx.attackmix.p99_ms)" "<1"
  row "$ATTACK_PERCENT % attacks: proxy CPU us/request" "$(m gateway.attackmix.cpu_proxy_us)" \
    "$(m nginx.attackmix.cpu_proxy_us)" "<1"
  row "$ATTACK_PERCENT % attacks: refused/passed" \
    "$(sum "${R[gateway.attackmix.attacks_blocked]}")/$(sum "${R[gateway.attackmix.attacks_passed]}")" \
    "$(sum "${R[nginx.attackmix.attacks_blocked]}")/$(sum "${R[nginx.attackmix.attacks_passed]}")" ""
fi
if [ "$INSPECTION" = 1 ]; then
  prefiltered() {  # metrics port -> "cleared / inspected" by the prefilter
    curl -s "http://127.0.0.1:$1/metrics" | awk '
      /^nanbyo_gateway_inspection_requests_total / { r = $NF }
      /^nanbyo_gateway_inspection_prefiltered_total / { p = $NF }
      END { printf "%d / %d", p, r }'
  }
  echo "-- the same gateway without the prefilter (the engine on every request; gw/nginx):"
  row "no prefilter: keep-alive req/s" "$(mi gwengine.keepalive.rps)" "$(mi nginx.keepalive.rps)" ">1"
  row "no prefilter: proxy CPU us per request" "$(m gwengine.keepalive.cpu_proxy_us)" \
    "$(m nginx.keepalive.cpu_proxy_us)" "<1"
  row "no prefilter: keep-alive p99 ms" "$(m gwengine.keepalive.p99_ms)" "$(m nginx.keepalive.p99_ms)" "<1"
  row "no prefilter: $ATTACK_PERCENT % attacks: req/s" "$(mi gwengine.attackmix.rps)" \
    "$(mi nginx.attackmix.rps)" ">1"
  row "no prefilter: attacks refused/passed" \
    "$(sum "${R[gwengine.attackmix.attacks_blocked]}")/$(sum "${R[gwengine.attackmix.attacks_passed]}")" \
    "$(sum "${R[nginx.attackmix.attacks_blocked]}")/$(sum "${R[nginx.attackmix.attacks_passed]}")" ""
  echo "-- the same gateway not inspecting (gw/nginx):"
  row "not inspecting: keep-alive req/s" "$(mi gwplain.keepalive.rps)" "$(mi nginx.keepalive.rps)" ">1"
  row "not inspecting: proxy CPU us per request" "$(m gwplain.keepalive.cpu_proxy_us)" \
    "$(m nginx.keepalive.cpu_proxy_us)" "<1"
  row "not inspecting: keep-alive p99 ms" "$(m gwplain.keepalive.p99_ms)" "$(m nginx.keepalive.p99_ms)" "<1"
  echo "-- inspecting, with vs without the prefilter (gw/no-prefilter):"
  row "prefilter: keep-alive req/s" "$(mi gateway.keepalive.rps)" "$(mi gwengine.keepalive.rps)" ">1"
  row "prefilter: $ATTACK_PERCENT % attacks: req/s" "$(mi gateway.attackmix.rps)" "$(mi gwengine.attackmix.rps)" ">1"
  echo "requests the prefilter cleared (engine skipped) / inspected: $(prefiltered "$METRICS_PORT")"
  echo "-- equivalent nginx again:"
fi
row "new mTLS handshakes/s ($NEWCONN_CLIENTS clients)" "$(mi gateway.newconn.rps)" "$(mi nginx.newconn.rps)" ">1"
row "new-connection p50 ms" "$(m gateway.newconn.p50_ms)" "$(m nginx.newconn.p50_ms)" "<1"
row "new-connection p99 ms" "$(m gateway.newconn.p99_ms)" "$(m nginx.newconn.p99_ms)" "<1"
row "proxy CPU us per handshake (+1 request)" "$(mi gateway.newconn.cpu_proxy_us)" "$(mi nginx.newconn.cpu_proxy_us)" "<1"
if [ "$LEAN" = 1 ]; then
  echo "-- against the lean nginx (one X-Client-DN header, as its users write it; gw/lean):"
  row "lean: keep-alive req/s" "$(mi gateway.keepalive.rps)" "$(mi lean.keepalive.rps)" ">1"
  row "lean: proxy CPU us per request" "$(m gateway.keepalive.cpu_proxy_us)" \
    "$(m lean.keepalive.cpu_proxy_us)" "<1"
  row "lean: keep-alive p99 ms" "$(m gateway.keepalive.p99_ms)" "$(m lean.keepalive.p99_ms)" "<1"
  row "lean: new mTLS handshakes/s" "$(mi gateway.newconn.rps)" "$(mi lean.newconn.rps)" ">1"
  row "lean: proxy CPU us per handshake" "$(mi gateway.newconn.cpu_proxy_us)" \
    "$(mi lean.newconn.cpu_proxy_us)" "<1"
  echo "-- equivalent nginx again:"
fi
row "peak RSS MiB (VmHWM; nginx: master+workers)" "$((GW_HWM / 1024))" "$((NGX_HWM / 1024))" "<1"
row "PSS MiB after the runs" "$((GW_PSS / 1024))" "$((NGX_PSS / 1024))" "<1"
row "RSS MiB idle at start" "$((GW_RSS_IDLE / 1024))" "$((NGX_RSS_IDLE / 1024))" "<1"
row "errors, all runs (keep-alive/new-conn)" \
  "$(sum "${R[gateway.keepalive.errors]}")/$(sum "${R[gateway.newconn.errors]}")" \
  "$(sum "${R[nginx.keepalive.errors]}")/$(sum "${R[nginx.newconn.errors]}")" ""
row "upstream conns opened per keep-alive run" "$(m gateway.keepalive.upstream_conns)" "$(m nginx.keepalive.upstream_conns)" ""
row "client CPU us per request (keep-alive)" "$(m gateway.keepalive.client_cpu_us)" "$(m nginx.keepalive.client_cpu_us)" ""
row "client CPU us per new connection" "$(mi gateway.newconn.client_cpu_us)" "$(mi nginx.newconn.client_cpu_us)" ""
OTHER=$(printf '%s\n' ${R[gateway.keepalive.other_cores]} ${R[nginx.keepalive.other_cores]} \
  ${R[gateway.newconn.other_cores]} ${R[nginx.newconn.other_cores]} | sort -g | tail -n 1)
echo "other load on the machine during the runs: up to $OTHER cores" \
  "$(awk -v o="$OTHER" 'BEGIN { if (o > 0.15) print "-- WARNING: not a clean run, the figures are indicative only" }')"
echo "revoke-to-closed, gateway, $REVOKE_ROUNDS rounds (min / median / max):"
echo "  from 'nanbyo-pki revoke' start:  $(stats "${REVOKE_FROM_START[@]}")"
echo "  from crl.pem replaced (inotify): $(stats "${REVOKE_FROM_CRL[@]}")"
echo "  the revoke command itself:       $(stats "${REVOKE_CMD[@]}")"
echo "  nginx, same test: $NGINX_REVOKE (ssl_crl is read at start and reload only)"
echo "gateway audit log: $(wc -l <"$AUDIT_DIR/gateway-audit.log") records in $AUDIT_DIR (fdatasync per batch)"
