#!/usr/bin/env bash
# The per-hospital media (O-1): exactly that hospital's valid PCs, VPN client
# settings pointing at the gateway, a Japanese README and a manifest sha256sum
# can check. Failures create nothing and never touch an existing bundle. Once
# the media exist the CA keeps no PC key or PKCS#12, and the media never ask the
# hospital to trust the private root for the server (issue 13, S-4).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
init_test "$@"

CA=$WORK/ca
H1=1310000001
H2=2710000002

step "a CA with two PCs at hospital $H1 and one at $H2"
run_ok pki --dir "$CA" init
for t in pc01 uketsuke-02; do
  run_ok pki --dir "$CA" issue client --hospital "$H1" --terminal "$t" \
    --password-file "$WORK/$t.pw" --out "$WORK/issued/$t"
done
run_ok pki --dir "$CA" issue client --hospital "$H2" --terminal osaka-01 \
  --password-file "$WORK/osaka-01.pw" --out "$WORK/issued/osaka-01"

# The gateway's policy says what the PCs reach while connected (vpn.mode, issue 15); the
# README must say the same.
gateway_policy() {  # file [mode]
  cat >"$1" <<EOF
version: 1
audit: {path: audit.log}
listeners: [{name: hospital, listen: 0.0.0.0:443, vpn: true,
  tls: {certificate: s.crt, private_key: s.key, client_ca: ca.crt, crl: crl.pem}}]
upstreams: []
routes: []
vpn:
  address_pool: 10.255.0.0/24
  gateway_address: 10.255.0.1
  service_networks: [10.10.0.0/24]
${2:+  mode: $2}
EOF
}
gateway_policy "$WORK/gateway-full.yaml"
gateway_policy "$WORK/gateway-split.yaml" split
FULL_TEXT="難病・小慢DB以外 (インターネットを"
SPLIT_TEXT="VPNを通るのは難病・小慢DB宛ての通信だけです"

step "bundle without the tunnel mode: refused, nothing created"
assert_fails_with "the media state what the PCs reach while connected" \
  pki --dir "$CA" bundle --hospital "$H1" --server 127.0.0.1:8443 --out "$WORK/media"
sed -e 's/ vpn: true,//' -e '/^vpn:/,$d' "$WORK/gateway-full.yaml" >"$WORK/no-vpn.yaml"
assert_fails_with "has no vpn section" \
  pki --dir "$CA" bundle --policy "$WORK/no-vpn.yaml" --hospital "$H1" --server 127.0.0.1:8443 --out "$WORK/media"
assert_no_path "$WORK/media"

step "bundle --policy (full by default) --hospital $H1 --server 127.0.0.1:8443"
run_ok pki --dir "$CA" bundle --policy "$WORK/gateway-full.yaml" --hospital "$H1" --server 127.0.0.1:8443 --out "$WORK/media"
B=$WORK/media/$H1
assert_eq "$H1" "$(ls -A "$WORK/media")" "entries in --out (no leftover staging dirs)"
assert_eq "pc01.p12 uketsuke-02.p12" "$(cd "$B/pc" && echo *)" "PKCS#12 files in the bundle"
assert_eq "pc01.conf uketsuke-02.conf" "$(cd "$B/openconnect" && echo *)" "openconnect configs"
# The media carries private keys: only the owner may read them.
assert_mode "$B" 700
assert_mode "$B/pc/pc01.p12" 600
assert_mode "$B/pc/uketsuke-02.p12" 600

step "the bundle's files are the real ones and work with openssl; the CA kept no copy"
assert_no_path "$B/ca-chain.crt"
for t in pc01 uketsuke-02; do
  assert_no_path "$WORK/issued/$t.p12"
  assert_no_path "$WORK/issued/$t.key"
  assert_file "$WORK/issued/$t.crt"
  run_ok openssl pkcs12 -in "$B/pc/$t.p12" -passin "file:$WORK/$t.pw" -clcerts -nokeys -out "$WORK/$t.from-bundle.crt"
  run_ok openssl verify -purpose sslclient -CAfile "$CA/ca-chain.crt" "$WORK/$t.from-bundle.crt"
  assert_eq "certificate pc/$t.p12" "$(cat "$B/openconnect/$t.conf")" "openconnect/$t.conf"
done

step "anyconnect-profile.xml is well-formed XML naming the gateway"
profile=$B/anyconnect-profile.xml
if command -v xmllint >/dev/null; then
  run_ok xmllint --noout "$profile"
  host=$(xmllint --xpath 'string(//*[local-name()="HostAddress"])' "$profile")
elif command -v python3 >/dev/null; then
  run_ok python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$profile"
  host=$(python3 -c 'import sys, xml.etree.ElementTree as E
print(next(e.text for e in E.parse(sys.argv[1]).iter() if e.tag.endswith("HostAddress")))' "$profile")
else
  fail "xmllint or python3 is needed to check anyconnect-profile.xml"
fi
assert_eq "127.0.0.1:8443" "$host" "HostAddress in anyconnect-profile.xml"

step "README-ja.txt is Japanese UTF-8 for this hospital"
readme=$B/README-ja.txt
iconv -f UTF-8 -t UTF-8 "$readme" >/dev/null || fail "README-ja.txt is not valid UTF-8"
text=$(cat "$readme")
assert_contains "$text" "医療機関番号 $H1" "README-ja.txt"
assert_contains "$text" "127.0.0.1:8443" "README-ja.txt"
assert_contains "$text" "pc/uketsuke-02.p12" "README-ja.txt"
assert_not_contains "$text" "osaka-01" "README-ja.txt"
assert_not_contains "$text" "信頼されたルート証明機関」へ取り込みます" "README-ja.txt"
assert_contains "$text" "取り込む必要はありません" "README-ja.txt"
assert_contains "$text" "$FULL_TEXT" "README-ja.txt of a full tunnel"
assert_not_contains "$text" "$SPLIT_TEXT" "README-ja.txt of a full tunnel"

step "MANIFEST.sha256 covers every file and sha256sum -c accepts it"
(cd "$B" && sha256sum --strict -c MANIFEST.sha256 >/dev/null) || fail "sha256sum -c MANIFEST.sha256 failed in $B"
listed=$(awk '{ print $2 }' "$B/MANIFEST.sha256" | LC_ALL=C sort)
present=$(cd "$B" && find . -type f ! -name MANIFEST.sha256 | sed 's|^\./||' | LC_ALL=C sort)
assert_eq "$present" "$listed" "files listed in MANIFEST.sha256"
# Tampering is what the manifest is for.
cp -a "$B" "$WORK/tampered"
flip_byte "$WORK/tampered/pc/pc01.p12" 100
(cd "$WORK/tampered" && ! sha256sum -c MANIFEST.sha256 >/dev/null 2>&1) ||
  fail "sha256sum -c should detect a changed pc01.p12"

step "the same bundle again fails and leaves the first one alone"
first=$(snapshot "$WORK/media")
ca_before=$(snapshot "$CA")
assert_fails_with "already exists" pki --dir "$CA" bundle --tunnel full --hospital "$H1" --server 127.0.0.1:8443 --out "$WORK/media"
assert_unchanged "$first" "$WORK/media" "the existing bundle"
assert_unchanged "$ca_before" "$CA" "CA directory"

step "a hospital without a certificate: clear error, nothing created"
assert_fails_with "hospital 4410000009 has no valid PC certificate" \
  pki --dir "$CA" bundle --tunnel full --hospital 4410000009 --server 127.0.0.1:8443 --out "$WORK/none"
assert_no_path "$WORK/none"
assert_unchanged "$ca_before" "$CA" "CA directory"

step "PCs already on media are not bundled again; a new PC is, a revoked one is not"
assert_fails_with "has no valid PC certificate with a PKCS#12 file the CA still holds" \
  pki --dir "$CA" bundle --tunnel full --hospital "$H1" --server 127.0.0.1:8443 --out "$WORK/media-again"
assert_no_path "$WORK/media-again"
for t in pc03 pc04; do
  run_ok pki --dir "$CA" issue client --hospital "$H1" --terminal "$t" \
    --password-file "$WORK/$t.pw" --out "$WORK/issued/$t"
done
run_ok pki --dir "$CA" revoke --serial "$(cert_serial "$WORK/issued/pc04.crt")" --reason cessation-of-operation
run_ok pki --dir "$CA" bundle --policy "$WORK/gateway-split.yaml" --hospital "$H1" --server 127.0.0.1:8443 --out "$WORK/media2"
assert_eq "pc03.p12" "$(cd "$WORK/media2/$H1/pc" && echo *)" "PKCS#12 files after revocation"
assert_eq "pc03.conf" "$(cd "$WORK/media2/$H1/openconnect" && echo *)" "openconnect configs after revocation"
assert_not_contains "$(cat "$WORK/media2/$H1/README-ja.txt")" "pc04" "README-ja.txt after revocation"
(cd "$WORK/media2/$H1" && sha256sum --strict -c MANIFEST.sha256 >/dev/null) || fail "MANIFEST of the new bundle"
assert_contains "$(cat "$WORK/media2/$H1/README-ja.txt")" "$SPLIT_TEXT" "README-ja.txt of a split tunnel"
assert_not_contains "$(cat "$WORK/media2/$H1/README-ja.txt")" "$FULL_TEXT" "README-ja.txt of a split tunnel"

step "--private-server-ca needs a name-constrained root"
run_ok pki --dir "$CA" issue client --hospital "$H1" --terminal pc05 \
  --password-file "$WORK/pc05.pw" --out "$WORK/issued/pc05"
assert_fails_with "the root CA has no name constraints" \
  pki --dir "$CA" bundle --tunnel full --hospital "$H1" --server 127.0.0.1:8443 --out "$WORK/media4" --private-server-ca
assert_no_path "$WORK/media4"
NC=$WORK/constrained
run_ok pki --dir "$NC" init --permit-dns vpn.example.jp --permit-ip 192.0.2.0/24
run_ok pki --dir "$NC" issue client --hospital "$H1" --terminal pc01 \
  --password-file "$WORK/nc-pc01.pw" --out "$WORK/issued/nc-pc01"
run_ok pki --dir "$NC" bundle --tunnel full --hospital "$H1" --server vpn.example.jp:443 --out "$WORK/media5" --private-server-ca
assert_same_file "$NC/root-ca.crt" "$WORK/media5/$H1/server-ca.crt"
assert_contains "$(cat "$WORK/media5/$H1/openconnect/pc01.conf")" "cafile server-ca.crt" "openconnect/pc01.conf"
assert_contains "$(openssl x509 -in "$WORK/media5/$H1/server-ca.crt" -noout -text)" "DNS:vpn.example.jp" "name constraints"

step "a hospital whose only PC is revoked gets no bundle"
run_ok pki --dir "$CA" revoke --serial "$(cert_serial "$WORK/issued/osaka-01.crt")"
assert_fails_with "has no valid PC certificate" \
  pki --dir "$CA" bundle --tunnel full --hospital "$H2" --server 127.0.0.1:8443 --out "$WORK/media3"
assert_no_path "$WORK/media3"

echo "PASS bundle"
