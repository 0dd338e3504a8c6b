#!/usr/bin/env bash
# `make run`: a development appliance on loopback with its embedded defaults.
# Creates the development CA under ./var/pki (once), a server certificate for
# 127.0.0.1/localhost and one demo hospital-PC certificate as PKCS#12, then
# starts what exists so far on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
pki() { "$build/pki/nanbyo-pki" --dir var/pki "$@"; }
dev=var/pki/dev
port=${NANBYO_DEV_PORT:-8443}

[ -f var/pki/ca.db ] || pki init
[ -f $dev/server.crt ] || pki issue server --dns localhost --ip 127.0.0.1 --out $dev/server
if [ ! -f $dev/demo-pc.p12 ]; then
  pki issue client --hospital 1310000001 --terminal demo-pc --out $dev/demo-pc \
    --password-file $dev/demo-pc.p12.password
fi
pki crl >/dev/null
[ -d var/pki/bundles/1310000001 ] || pki bundle --hospital 1310000001 --server "127.0.0.1:$port"

cat <<MSG

Development CA:      var/pki (root and issuing CA, CRL in var/pki/crl.pem)
Demo PC certificate: $dev/demo-pc.p12 (password in $dev/demo-pc.p12.password)
Hospital media:      var/pki/bundles/1310000001

Listening on https://127.0.0.1:$port with a mandatory client certificate checked
against the CA and its CRL. Try, in another terminal:
  curl --cacert var/pki/ca-chain.crt --cert $dev/demo-pc.crt --key $dev/demo-pc.key https://127.0.0.1:$port/
  build/pki/nanbyo-pki --dir var/pki list
Revoke the demo PC, run make run again, and its handshake fails:
  build/pki/nanbyo-pki --dir var/pki revoke --serial <SERIAL> --reason key-compromise
(Until nanbyo-gateway lands, the TLS endpoint is OpenSSL's s_server with our
certificates and CRL; it reads the CRL at start. Ctrl-C stops it.)
MSG

exec openssl s_server -quiet -accept "127.0.0.1:$port" -www \
  -cert $dev/server.crt -key $dev/server.key -CAfile var/pki/ca-chain.crt \
  -Verify 2 -verify_return_error -CRL var/pki/crl.pem -crl_check
