#!/usr/bin/env bash
# Every bad input is refused the way an operator can act on: one line on
# stderr ("nanbyo-pki: error: ..."), a non-zero exit, and the CA directory
# byte-for-byte as it was (no half-issued certificate, no spent CRL number).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
init_test "$@"

CA=$WORK/ca

# refused "<message part>" nanbyo-pki-args...: fails as above, CA untouched.
refused() {
  local want=$1 before
  shift
  before=$(snapshot "$CA")
  assert_fails_with "$want" pki --dir "$CA" "$@"
  assert_unchanged "$before" "$CA" "CA directory after: nanbyo-pki $*"
}

step "a CA with one PC certificate"
run_ok pki --dir "$CA" init
run_ok pki --dir "$CA" issue client --hospital 1310000001 --terminal pc01 \
  --password-file "$WORK/pc01.pw" --out "$WORK/pc01"
PC01=$(cert_serial "$WORK/pc01.crt")

step "corrupt certificate signing requests"
echo "this is not a CSR" >"$WORK/garbage.csr"
refused "garbage.csr" issue client --hospital 1310000001 --terminal pc02 \
  --csr "$WORK/garbage.csr" --out "$WORK/csr-out/garbage"
run_ok openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=x \
  -keyout "$WORK/x.key" -out "$WORK/x.csr"
# Same request with one byte of its signature (the last DER byte) flipped.
openssl req -in "$WORK/x.csr" -outform DER -out "$WORK/tampered.der"
flip_byte "$WORK/tampered.der" $(($(file_size "$WORK/tampered.der") - 1))
{
  echo "-----BEGIN CERTIFICATE REQUEST-----"
  openssl base64 -in "$WORK/tampered.der"
  echo "-----END CERTIFICATE REQUEST-----"
} >"$WORK/tampered.csr"
# openssl agrees it is bad (OpenSSL 3.0 `req -verify` says so but still exits 0).
run_ok openssl req -in "$WORK/tampered.csr" -verify -noout
assert_contains "$OUT$ERR" "verify failure" "openssl req -verify of the tampered CSR"
refused "invalid signature" issue client --hospital 1310000001 --terminal pc02 \
  --csr "$WORK/tampered.csr" --out "$WORK/csr-out/tampered"
assert_no_path "$WORK/csr-out"

step "PKCS#12: wrong password, corrupt file"
echo "not-the-password" >"$WORK/wrong.pw"
refused "wrong password" p12-info --p12 "$WORK/pc01.p12" --password-file "$WORK/wrong.pw"
cp "$WORK/pc01.p12" "$WORK/corrupt.p12"
flip_byte "$WORK/corrupt.p12" 0 0xff  # breaks the outer DER SEQUENCE
refused "corrupt.p12" p12-info --p12 "$WORK/corrupt.p12" --password-file "$WORK/pc01.pw"
head -c 2000 /dev/urandom >"$WORK/random.p12"
refused "random.p12" p12-info --p12 "$WORK/random.p12" --password-file "$WORK/pc01.pw"

step "revoke: unknown serial, unknown reason, already revoked"
refused "unknown serial" revoke --serial 0123456789ABCDEF0123456789ABCDEF
refused "unknown revocation reason 'lost'" revoke --serial "$PC01" --reason lost
run_ok pki --dir "$CA" revoke --serial "$PC01" --reason key-compromise
refused "already revoked" revoke --serial "$PC01" --reason key-compromise
# The same serial written another way (lower case, colons) is the same certificate.
lower_with_colons=$(tr 'A-F' 'a-f' <<<"$PC01" | sed 's/../&:/g; s/:$//')
refused "already revoked" revoke --serial "$lower_with_colons"

step "invalid hospital number and terminal name"
for hospital in 131000000 13100000011 13100000a1 "１３１００００００１" ""; do
  refused "hospital number must be the 10-digit" issue client --hospital "$hospital" \
    --terminal pc02 --out "$WORK/bad-id/pc02"
done
for terminal in "pc 02" "pc/02" "../pc02" "" "$(printf 'x%.0s' {1..33})" "端末"; do
  refused "terminal name must be" issue client --hospital 1310000001 \
    --terminal "$terminal" --out "$WORK/bad-id/t"
done
assert_no_path "$WORK/bad-id"

step "missing CA database: the path is named, nothing is created"
mkdir "$WORK/empty"
for args in "revoke --serial $PC01" "issue client --hospital 1310000001 --terminal pc02" \
  "issue server --dns localhost" "list" "crl" "bundle --tunnel full --hospital 1310000001 --server 127.0.0.1:8443" \
  "key list"; do
  # shellcheck disable=SC2086  # $args is a list of words on purpose
  assert_fails_with "$WORK/empty/ca.db" pki --dir "$WORK/empty" $args
  assert_eq "" "$(ls -A "$WORK/empty")" "files created in an empty --dir by: $args"
done
assert_fails_with "$WORK/nowhere/ca.db" pki --dir "$WORK/nowhere" revoke --serial "$PC01"
assert_no_path "$WORK/nowhere"

step "CA database locked by another process"
command -v sqlite3 >/dev/null || fail "the sqlite3 command is required for the lock test"
before=$(snapshot "$CA")
rm -f "$WORK/release"
# sqlite3 holds an exclusive lock until the release file appears (at most
# 30 s, or until the temp dir is gone after a failure). .timeout: BEGIN waits
# out our own probe below instead of failing.
(
  printf '.timeout 5000\nBEGIN EXCLUSIVE;\n'
  for _ in $(seq 300); do
    [ -e "$WORK/release" ] || [ ! -d "$WORK" ] && break
    sleep 0.1
  done
) | sqlite3 "$CA/ca.db" &
LOCK_PID=$!
track_pid "$LOCK_PID"
# Wait until the lock is really held: a plain reader is then refused.
for _ in $(seq 100); do
  sqlite3 "$CA/ca.db" 'SELECT 1 FROM meta LIMIT 1' >/dev/null 2>&1 || break
  sleep 0.05
done
run_fails sqlite3 "$CA/ca.db" 'SELECT 1 FROM meta LIMIT 1'
assert_fails_with "locked" pki --dir "$CA" revoke --serial 0123456789ABCDEF0123456789ABCDEF
assert_fails_with "locked" pki --dir "$CA" issue client --hospital 1310000001 --terminal pc03 \
  --out "$WORK/locked/pc03"
assert_no_path "$WORK/locked"
touch "$WORK/release"
wait "$LOCK_PID" || true
assert_unchanged "$before" "$CA" "CA directory after the locked attempts"

step "issue client --csr writes only the certificate"
run_ok pki --dir "$CA" issue client --hospital 1310000001 --terminal pc04 \
  --csr "$WORK/x.csr" --out "$WORK/from-csr/pc04"
# No private key, no PKCS#12 (the key stays with whoever made the CSR), no password.
assert_eq "pc04.crt" "$(ls -A "$WORK/from-csr")" "files written for a CSR"
assert_not_contains "$OUT" "password" "issue --csr output"
assert_eq "$(openssl req -in "$WORK/x.csr" -noout -pubkey)" \
  "$(openssl x509 -in "$WORK/from-csr/pc04.crt" -noout -pubkey)" "public key of the certificate"
# The identity comes from the options, not from the CSR's subject (/CN=x).
assert_contains "$(openssl x509 -in "$WORK/from-csr/pc04.crt" -noout -subject -nameopt RFC2253)" \
  "subject=CN=pc04,organizationIdentifier=1310000001,"
run_ok openssl verify -purpose sslclient -CAfile "$CA/ca-chain.crt" "$WORK/from-csr/pc04.crt"

echo "PASS bad_input"
