#!/usr/bin/env bash
# Mutual TLS with the real openssl on both ends: openssl s_server stands in for
# the gateway (client certificate required, CRL checked) and openssl s_client
# for a hospital PC. A PC certificate works until it is revoked; after
# `nanbyo-pki revoke` and a CRL reload it is refused while other PCs still work.
# Only 127.0.0.1 is used.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
init_test "$@"

CA=$WORK/ca
SERVER_PID=
PORT=
SERVER_LOG=

# start_server: s_server on a free 127.0.0.1 port with the current crl.pem.
# A random port may be taken, so retry a few until s_server says ACCEPT.
start_server() {
  local attempt
  for attempt in 1 2 3 4 5 6 7 8; do
    PORT=$((20000 + RANDOM % 20000))
    SERVER_LOG=$WORK/s_server.$attempt.$PORT.log
    # -Verify 2: a client certificate is required (leaf, issuing CA, root).
    # -crl_check: the leaf is checked against the issuing CA's CRL, which
    # nanbyo-pki writes first in crl.pem (s_server reads only the first CRL).
    openssl s_server -accept "127.0.0.1:$PORT" -cert "$WORK/server.crt" -key "$WORK/server.key" \
      -CAfile "$CA/ca-chain.crt" -Verify 2 -verify_return_error \
      -CRL "$CA/crl.pem" -crl_check -www >"$SERVER_LOG" 2>&1 </dev/null &
    SERVER_PID=$!
    track_pid "$SERVER_PID"
    for _ in $(seq 100); do
      grep -q '^ACCEPT' "$SERVER_LOG" && return 0
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.05
    done
    stop_pid "$SERVER_PID"
  done
  fail "openssl s_server did not start; last log:"$'\n'"$(cat "$SERVER_LOG")"
}

restart_server() {
  stop_pid "$SERVER_PID"
  start_server
}

# connect <protocol> [s_client options...]: one HTTP request through s_client.
# Leaves the response in $OUT, s_client's log in $ERR, the status in $STATUS
# and what the server logged during this connection in $SERVER_SAID.
connect() {
  local proto=$1 offset
  shift
  offset=$(($(file_size "$SERVER_LOG") + 1))
  STATUS=0
  OUT=$(printf 'GET / HTTP/1.0\r\n\r\n' |
    timeout 20 openssl s_client -connect "127.0.0.1:$PORT" "$proto" -CAfile "$CA/ca-chain.crt" \
      -verify_return_error -verify_ip 127.0.0.1 -quiet "$@" 2>"$WORK/s_client.err") || STATUS=$?
  ERR=$(cat "$WORK/s_client.err")
  sleep 0.1  # let s_server finish logging this connection
  SERVER_SAID=$(tail -c "+$offset" "$SERVER_LOG")
}

assert_accepted() {  # what protocol s_client-options...
  local what=$1
  shift
  connect "$@"
  [ "$STATUS" -eq 0 ] || fail "$what: s_client failed (status $STATUS):"$'\n'"$ERR"$'\n'"server: $SERVER_SAID"
  assert_contains "$OUT" "HTTP/1.0 200" "$what: response"
}

assert_refused() {  # what expected-server-log-text protocol s_client-options...
  local what=$1 why=$2
  shift 2
  connect "$@"
  [ "$STATUS" -ne 0 ] || fail "$what: s_client should have failed; response: $OUT"
  [ "$STATUS" -ne 124 ] || fail "$what: s_client timed out instead of being refused"
  assert_not_contains "$OUT" "HTTP/1.0 200" "$what: response"
  # Refused for the expected reason, not for some unrelated breakage.
  assert_contains "$SERVER_SAID" "$why" "$what: s_server log"
}

step "CA, gateway certificate and two hospital PCs"
run_ok pki --dir "$CA" init
run_ok pki --dir "$CA" issue server --dns localhost --ip 127.0.0.1 --out "$WORK/server"
run_ok pki --dir "$CA" issue client --hospital 1310000001 --terminal pc01 \
  --password-file "$WORK/pc01.pw" --out "$WORK/pc01"
PC01=$(cert_serial "$WORK/pc01.crt")

step "a PC with a valid certificate gets through (TLS 1.2 and 1.3)"
start_server
for proto in -tls1_2 -tls1_3; do
  assert_accepted "pc01 $proto" "$proto" -cert "$WORK/pc01.crt" -key "$WORK/pc01.key"
done

step "no client certificate, or one from another CA: refused"
assert_refused "no client certificate" "did not return a certificate" -tls1_3
OTHER=$WORK/other-ca
run_ok pki --dir "$OTHER" init
run_ok pki --dir "$OTHER" issue client --hospital 1310000001 --terminal pc01 \
  --password-file "$WORK/other.pw" --out "$WORK/other-pc01"
for proto in -tls1_2 -tls1_3; do
  assert_refused "certificate of another CA $proto" "unable to get local issuer certificate" \
    "$proto" -cert "$WORK/other-pc01.crt" -key "$WORK/other-pc01.key"
done

step "revoke pc01 (key-compromise): the CRL says so"
crl_number_before=$(openssl crl -in "$CA/crl.pem" -noout -crlnumber | cut -d= -f2)
run_ok pki --dir "$CA" revoke --serial "$PC01" --reason key-compromise
assert_contains "$OUT" "revoked $PC01"
crl_text=$(openssl crl -in "$CA/crl.pem" -noout -text)
assert_contains "$crl_text" "Serial Number: $PC01" "CRL"
assert_contains "$(grep -A4 "Serial Number: $PC01" <<<"$crl_text")" "Key Compromise" "CRL entry of $PC01"
# The CRL names its signer: AKI = the issuing CA's subject key identifier.
ski=$(openssl x509 -in "$CA/issuing-ca.crt" -noout -ext subjectKeyIdentifier | tail -n 1 | tr -d ' ')
aki=$(grep -A1 "X509v3 Authority Key Identifier" <<<"$crl_text" | tail -n 1 | tr -d ' ' | sed 's/^keyid://')
[ -n "$ski" ] || fail "issuing CA has no subjectKeyIdentifier"
assert_eq "$ski" "$aki" "CRL Authority Key Identifier"
crl_number_after=$(openssl crl -in "$CA/crl.pem" -noout -crlnumber | cut -d= -f2)
[ $((crl_number_after)) -gt $((crl_number_before)) ] ||
  fail "CRL Number should increase on revoke: before $crl_number_before, after $crl_number_after"
# The CRL is signed by the issuing CA, and openssl verify sees the revocation offline too.
run_ok openssl crl -in "$CA/crl.pem" -CAfile "$CA/ca-chain.crt" -noout
assert_contains "$ERR" "verify OK" "openssl crl signature check"
run_fails openssl verify -crl_check -CRLfile "$CA/crl.pem" -CAfile "$CA/ca-chain.crt" "$WORK/pc01.crt"
assert_contains "$OUT$ERR" "certificate revoked" "openssl verify -crl_check"

step "after a CRL reload the revoked PC is refused, a newly issued PC still works"
run_ok pki --dir "$CA" issue client --hospital 1310000001 --terminal pc02 \
  --password-file "$WORK/pc02.pw" --out "$WORK/pc02"
restart_server
for proto in -tls1_2 -tls1_3; do
  assert_refused "revoked pc01 $proto" "certificate revoked" \
    "$proto" -cert "$WORK/pc01.crt" -key "$WORK/pc01.key"
  assert_accepted "pc02 $proto" "$proto" -cert "$WORK/pc02.crt" -key "$WORK/pc02.key"
done

echo "PASS tls_handshake_and_revocation"
