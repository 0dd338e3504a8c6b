#!/usr/bin/env bash
# Per-user key files (ID-4, S-9): what a user encrypts with their key file
# comes back byte-for-byte, on the user's side (decrypt) and on the system's
# side (open). Any change to the encrypted file or to the key file is refused,
# and a revoked or superseded key no longer opens anything on the system side.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
init_test "$@"

CA=$WORK/ca
USER_ID=A0000001

key_id_of() { sed -n 's/^Key-Id: //p' "$1"; }

step "a CA and a key file for $USER_ID"
run_ok pki --dir "$CA" init
run_ok pki --dir "$CA" key new --user "$USER_ID" --out "$WORK/k1"
assert_mode "$WORK/k1" 600
K1=$(key_id_of "$WORK/k1")
[ ${#K1} -eq 32 ] || fail "Key-Id in k1 should be 32 hex digits, got '$K1'"
# Refuses to overwrite an existing key file (it may be the user's only copy).
assert_fails_with "already exists" pki --dir "$CA" key new --user "$USER_ID" --out "$WORK/k1"
run_ok pki --dir "$CA" key list --json
assert_eq "valid" "$(json_get "$OUT" key_id "$K1" status)" "status of $K1 after a refused key new"

step "encrypt, then decrypt (holder) and open (system): same bytes"
# Binary data with NUL bytes and no final newline, 64 KiB + 7.
head -c 65543 /dev/urandom >"$WORK/plain"
run_ok pki --dir "$CA" key encrypt --key "$WORK/k1" --in "$WORK/plain" --out "$WORK/sealed"
if cmp -s "$WORK/plain" "$WORK/sealed"; then fail "sealed file equals the plaintext"; fi
run_ok pki --dir "$CA" key decrypt --key "$WORK/k1" --in "$WORK/sealed" --out "$WORK/decrypted"
assert_same_file "$WORK/plain" "$WORK/decrypted"
run_ok pki --dir "$CA" key open --in "$WORK/sealed" --out "$WORK/opened"
assert_same_file "$WORK/plain" "$WORK/opened"
# An empty file round-trips too.
: >"$WORK/empty"
run_ok pki --dir "$CA" key encrypt --key "$WORK/k1" --in "$WORK/empty" --out "$WORK/empty.sealed"
run_ok pki --dir "$CA" key open --in "$WORK/empty.sealed" --out "$WORK/empty.opened"
assert_same_file "$WORK/empty" "$WORK/empty.opened"

step "one flipped byte in the encrypted file: authentication fails, no output"
size=$(file_size "$WORK/sealed")
for offset in $((size / 2)) $((size - 1)); do  # ciphertext, then the GCM tag
  cp "$WORK/sealed" "$WORK/tampered"
  flip_byte "$WORK/tampered" "$offset"
  assert_fails_with "authentication" pki --dir "$CA" key decrypt --key "$WORK/k1" \
    --in "$WORK/tampered" --out "$WORK/tampered.out"
  assert_fails_with "authentication" pki --dir "$CA" key open --in "$WORK/tampered" --out "$WORK/tampered.out"
  # Nothing of an unauthenticated plaintext is released.
  assert_no_path "$WORK/tampered.out"
done

step "one changed byte in the key file: the key file is refused"
cp "$WORK/k1" "$WORK/k1.bad"
# Replace the first character of the Base64 key by another Base64 character,
# so the file still parses and only the Check line can notice.
key_offset=$(($(grep -bo '^Key: ' "$WORK/k1.bad" | cut -d: -f1) + 5))
old_char=$(dd if="$WORK/k1.bad" bs=1 skip="$key_offset" count=1 status=none)
if [ "$old_char" = A ]; then new_char=B; else new_char=A; fi
printf '%s' "$new_char" | dd of="$WORK/k1.bad" bs=1 seek="$key_offset" conv=notrunc status=none
if cmp -s "$WORK/k1" "$WORK/k1.bad"; then fail "the key file was not changed"; fi
assert_fails_with "Check does not match" pki --dir "$CA" key decrypt --key "$WORK/k1.bad" \
  --in "$WORK/sealed" --out "$WORK/k1.bad.out"
assert_no_path "$WORK/k1.bad.out"
# Whichever byte is flipped, the file is refused as a key file.
size=$(file_size "$WORK/k1")
for ((offset = 0; offset < size; offset++)); do
  cp "$WORK/k1" "$WORK/k1.flipped"
  flip_byte "$WORK/k1.flipped" "$offset"
  assert_fails_with "not a valid user key file" pki --dir "$CA" key encrypt --key "$WORK/k1.flipped" \
    --in "$WORK/plain" --out "$WORK/flipped.sealed"
done
assert_no_path "$WORK/flipped.sealed"

step "key revoke: the system no longer opens files sealed with that key"
run_ok pki --dir "$CA" key revoke --key-id "$K1" --reason lost
assert_fails_with "revoked" pki --dir "$CA" key open --in "$WORK/sealed" --out "$WORK/after-revoke"
assert_no_path "$WORK/after-revoke"
assert_fails_with "already revoked" pki --dir "$CA" key revoke --key-id "$K1"
run_ok pki --dir "$CA" key list --json
assert_eq "revoked" "$(json_get "$OUT" key_id "$K1" status)" "status of $K1"
assert_eq "lost" "$(json_get "$OUT" key_id "$K1" reason)" "reason of $K1"

step "key new for the same user supersedes the previous key"
run_ok pki --dir "$CA" key new --user "$USER_ID" --out "$WORK/k2"
K2=$(key_id_of "$WORK/k2")
run_ok pki --dir "$CA" key new --user "$USER_ID" --out "$WORK/k3"
K3=$(key_id_of "$WORK/k3")
run_ok pki --dir "$CA" key list --user "$USER_ID" --json
assert_eq "revoked" "$(json_get "$OUT" key_id "$K2" status)" "status of the superseded key $K2"
assert_eq "superseded" "$(json_get "$OUT" key_id "$K2" reason)" "reason of $K2"
assert_eq "valid" "$(json_get "$OUT" key_id "$K3" status)" "status of the new key $K3"
# Only the newest key works on the system side.
run_ok pki --dir "$CA" key encrypt --key "$WORK/k2" --in "$WORK/plain" --out "$WORK/sealed2"
assert_fails_with "revoked" pki --dir "$CA" key open --in "$WORK/sealed2" --out "$WORK/opened2"
run_ok pki --dir "$CA" key encrypt --key "$WORK/k3" --in "$WORK/plain" --out "$WORK/sealed3"
run_ok pki --dir "$CA" key open --in "$WORK/sealed3" --out "$WORK/opened3"
assert_same_file "$WORK/plain" "$WORK/opened3"
# A key file does not open another key's file.
assert_fails_with "not with key $K3" pki --dir "$CA" key decrypt --key "$WORK/k3" \
  --in "$WORK/sealed2" --out "$WORK/wrong-key.out"

echo "PASS user_keys"
