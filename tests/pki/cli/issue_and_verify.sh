#!/usr/bin/env bash
# A new CA issues a gateway server certificate and a hospital-PC certificate
# that the real openssl accepts, with the identity, usages and file modes an
# operator relies on. Also for a CA made with --algorithm rsa-3072.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
init_test "$@"

CA=$WORK/ca

step "init (default ECDSA P-256)"
run_ok pki --dir "$CA" init
for f in root-ca.crt issuing-ca.crt ca-chain.crt crl.pem ca.db; do assert_file "$CA/$f"; done
# Keys stay private: the directory is 0700, every key file 0600.
assert_mode "$CA/private" 700
assert_mode "$CA/private/root-ca.key" 600
assert_mode "$CA/private/issuing-ca.key" 600
assert_mode "$CA/ca.db" 600
# A second init must not replace a live CA.
before=$(snapshot "$CA")
assert_fails_with "already exists" pki --dir "$CA" init
assert_unchanged "$before" "$CA"

step "issue server --dns localhost --ip 127.0.0.1"
run_ok pki --dir "$CA" issue server --dns localhost --ip 127.0.0.1 --out "$WORK/out/server"
assert_file "$WORK/out/server.crt"
assert_mode "$WORK/out/server.key" 600

step "issue client --hospital 1310000001 --terminal pc01"
run_ok pki --dir "$CA" issue client --hospital 1310000001 --terminal pc01 \
  --password-file "$WORK/pc01.pw" --out "$WORK/out/pc01"
# The password goes to the file, never to the terminal log.
assert_not_contains "$OUT" "$(cat "$WORK/pc01.pw")" "issue client output"
assert_mode "$WORK/pc01.pw" 600
assert_mode "$WORK/out/pc01.key" 600
assert_mode "$WORK/out/pc01.p12" 600

step "openssl verify accepts both leaf certificates"
# -x509_strict: also RFC 5280 conformance; -purpose: the right usage for each.
run_ok openssl verify -x509_strict -purpose sslserver -verify_hostname localhost -verify_ip 127.0.0.1 \
  -CAfile "$CA/root-ca.crt" -untrusted "$CA/issuing-ca.crt" "$WORK/out/server.crt"
assert_contains "$OUT" "server.crt: OK"
run_ok openssl verify -x509_strict -purpose sslclient \
  -CAfile "$CA/root-ca.crt" -untrusted "$CA/issuing-ca.crt" "$WORK/out/pc01.crt"
assert_contains "$OUT" "pc01.crt: OK"
# The trust bundle the gateway and peers use works on its own as well.
run_ok openssl verify -CAfile "$CA/ca-chain.crt" "$WORK/out/pc01.crt" "$WORK/out/server.crt"

step "client certificate carries the hospital identity and clientAuth only"
subject=$(openssl x509 -in "$WORK/out/pc01.crt" -noout -subject -nameopt RFC2253)
assert_contains "$subject" "subject=CN=pc01," "client subject"
assert_contains "$subject" ",organizationIdentifier=1310000001," "client subject"
eku=$(openssl x509 -in "$WORK/out/pc01.crt" -noout -ext extendedKeyUsage)
assert_contains "$eku" "TLS Web Client Authentication" "client extendedKeyUsage"
assert_not_contains "$eku" "Server Authentication" "client extendedKeyUsage"

step "server certificate names localhost and 127.0.0.1"
san=$(openssl x509 -in "$WORK/out/server.crt" -noout -ext subjectAltName)
assert_contains "$san" "DNS:localhost" "server subjectAltName"
assert_contains "$san" "IP Address:127.0.0.1" "server subjectAltName"

step "the PKCS#12 opens with the password file and uses AES-256-CBC"
run_ok openssl pkcs12 -in "$WORK/out/pc01.p12" -passin "file:$WORK/pc01.pw" -noout
run_ok openssl pkcs12 -in "$WORK/out/pc01.p12" -passin "file:$WORK/pc01.pw" -info -noout
info="$OUT$ERR"  # openssl prints the -info lines on stderr
assert_contains "$info" "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC" "pkcs12 -info (key)"
assert_contains "$info" "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC" "pkcs12 -info (certificates)"
# Its certificate is the one issued, and nanbyo-pki reads it back too.
run_ok openssl pkcs12 -in "$WORK/out/pc01.p12" -passin "file:$WORK/pc01.pw" -clcerts -nokeys -out "$WORK/from-p12.crt"
assert_eq "$(cert_serial "$WORK/out/pc01.crt")" "$(cert_serial "$WORK/from-p12.crt")" "serial in the PKCS#12"
run_ok pki p12-info --p12 "$WORK/out/pc01.p12" --password-file "$WORK/pc01.pw"
assert_contains "$OUT" "serial:  $(cert_serial "$WORK/out/pc01.crt")"

step "init --algorithm rsa-3072 gives an RSA 3072 chain that verifies"
RSA=$WORK/rsa-ca
run_ok pki --dir "$RSA" init --algorithm rsa-3072
run_ok pki --dir "$RSA" issue server --ip 127.0.0.1 --out "$WORK/rsa/server"
run_ok pki --dir "$RSA" issue client --hospital 1310000001 --terminal pc01 \
  --password-file "$WORK/rsa.pw" --out "$WORK/rsa/pc01"
for cert in "$RSA/root-ca.crt" "$RSA/issuing-ca.crt" "$WORK/rsa/server.crt" "$WORK/rsa/pc01.crt"; do
  text=$(openssl x509 -in "$cert" -noout -text)
  assert_contains "$text" "Public Key Algorithm: rsaEncryption" "$cert"
  assert_contains "$text" "Public-Key: (3072 bit)" "$cert"
done
run_ok openssl verify -x509_strict -purpose sslserver -CAfile "$RSA/root-ca.crt" \
  -untrusted "$RSA/issuing-ca.crt" "$WORK/rsa/server.crt"
run_ok openssl verify -x509_strict -purpose sslclient -CAfile "$RSA/root-ca.crt" \
  -untrusted "$RSA/issuing-ca.crt" "$WORK/rsa/pc01.crt"
run_ok openssl pkcs12 -in "$WORK/rsa/pc01.p12" -passin "file:$WORK/rsa.pw" -noout
# The two CAs are independent: the ECDSA root does not vouch for RSA leaves.
run_fails openssl verify -CAfile "$CA/ca-chain.crt" "$WORK/rsa/pc01.crt"

echo "PASS issue_and_verify"
