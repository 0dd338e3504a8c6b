#!/usr/bin/env bash
# The CA's keys at rest (issue 13): encrypted PKCS#8 under a passphrase given as a file, an
# environment variable or a systemd credential; openssl reads them with the same passphrase;
# a CA whose root key is kept offline goes on issuing and revoking PC certificates.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
init_test "$@"

CA=$WORK/ca
PASS=$WORK/passphrase
printf 'correct horse battery staple\n' >"$PASS"
chmod 600 "$PASS"

step "init --passphrase-file writes both keys encrypted"
run_ok pki --dir "$CA" --passphrase-file "$PASS" init
for key in root-ca issuing-ca; do
  assert_eq "-----BEGIN ENCRYPTED PRIVATE KEY-----" "$(head -1 "$CA/private/$key.key")" "$key.key"
  assert_mode "$CA/private/$key.key" 600
  run_ok openssl pkey -in "$CA/private/$key.key" -passin "file:$PASS" -noout
  run_fails openssl pkey -in "$CA/private/$key.key" -passin pass:wrong-passphrase -noout
done

step "without the passphrase the CA lists but does not sign"
run_ok pki --dir "$CA" list
before=$(snapshot "$CA")
assert_fails_with "issuing-ca.key is encrypted: give its passphrase" \
  pki --dir "$CA" issue client --hospital 1310000001 --terminal pc01 --out "$WORK/pc01"
assert_unchanged "$before" "$CA" "CA directory"
printf 'not the right one\n' >"$WORK/wrong"
assert_fails_with "cannot be decrypted: wrong passphrase?" \
  pki --dir "$CA" --passphrase-file "$WORK/wrong" issue client --hospital 1310000001 --terminal pc01 --out "$WORK/pc01"
printf 'short\n' >"$WORK/short"
assert_fails_with "shorter than 12 characters" pki --dir "$WORK/ca2" --passphrase-file "$WORK/short" init

step "the passphrase from NANBYO_PKI_PASSPHRASE_FILE or the credential nanbyo-pki-passphrase"
NANBYO_PKI_PASSPHRASE_FILE=$PASS run_ok pki --dir "$CA" issue client --hospital 1310000001 \
  --terminal pc01 --out "$WORK/pc01" --password-file "$WORK/pc01.pw"
mkdir -p "$WORK/credentials"
cp "$PASS" "$WORK/credentials/nanbyo-pki-passphrase"
CREDENTIALS_DIRECTORY=$WORK/credentials run_ok pki --dir "$CA" issue client --hospital 1310000001 \
  --terminal pc02 --out "$WORK/pc02" --password-file "$WORK/pc02.pw"
run_ok openssl verify -CAfile "$CA/ca-chain.crt" "$WORK/pc01.crt" "$WORK/pc02.crt"

step "the root key offline: issuing, revoking and CRLs go on without it"
mkdir -p "$WORK/offline"
mv "$CA/private/root-ca.key" "$WORK/offline/"
export NANBYO_PKI_PASSPHRASE_FILE=$PASS
run_ok pki --dir "$CA" issue client --hospital 1310000001 --terminal pc03 --out "$WORK/pc03" \
  --password-file "$WORK/pc03.pw"
run_ok pki --dir "$CA" revoke --serial "$(cert_serial "$WORK/pc03.crt")" --reason key-compromise
run_ok pki --dir "$CA" crl --days 7
issuing=$(json_get "$(pki --dir "$CA" list --json)" kind issuing-ca serial)
assert_fails_with "CA private key missing: $CA/private/root-ca.key" \
  pki --dir "$CA" revoke --serial "$issuing" --reason ca-compromise
mv "$WORK/offline/root-ca.key" "$CA/private/"
run_ok pki --dir "$CA" revoke --serial "$issuing" --reason ca-compromise

step "protect-keys encrypts the keys of a CA made without a passphrase"
OLD=$WORK/old-ca
unset NANBYO_PKI_PASSPHRASE_FILE
run_ok pki --dir "$OLD" init
assert_eq "-----BEGIN PRIVATE KEY-----" "$(head -1 "$OLD/private/issuing-ca.key")" "plain key before"
assert_fails_with "protect-keys needs a passphrase" pki --dir "$OLD" protect-keys
run_ok pki --dir "$OLD" --passphrase-file "$PASS" protect-keys
assert_contains "$OUT" "encrypted $OLD/private/root-ca.key" "protect-keys output"
for key in root-ca issuing-ca; do
  assert_eq "-----BEGIN ENCRYPTED PRIVATE KEY-----" "$(head -1 "$OLD/private/$key.key")" "$key.key after"
  assert_mode "$OLD/private/$key.key" 600
done
run_ok pki --dir "$OLD" --passphrase-file "$PASS" protect-keys
assert_contains "$OUT" "unchanged $OLD/private/issuing-ca.key: already encrypted" "second run"
run_ok pki --dir "$OLD" --passphrase-file "$PASS" issue client --hospital 1310000001 \
  --terminal pc01 --out "$WORK/old-pc01" --password-file "$WORK/old-pc01.pw"

echo "PASS key_protection"
