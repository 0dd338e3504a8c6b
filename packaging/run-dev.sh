#!/usr/bin/env bash
# `make run`: a development appliance on loopback with its embedded defaults.
# Creates the development CA under ./var/pki (once), a server certificate for
# 127.0.0.1/localhost and one demo hospital-PC certificate as PKCS#12, then
# starts nanbyo-gateway on 127.0.0.1 in front of a stand-in upstream.
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

metrics_port=${NANBYO_DEV_METRICS_PORT:-9100}
upstream_port=${NANBYO_DEV_UPSTREAM_PORT:-8080}
mkdir -p var/dev
sed -e "s/@PORT@/$port/" -e "s/@METRICS_PORT@/$metrics_port/" -e "s/@UPSTREAM_PORT@/$upstream_port/" \
  packaging/dev/gateway.yaml.in > var/dev/gateway.yaml

# Until nanbyo-appcore exists, a static page stands in for the upstream.
python3 -m http.server --bind 127.0.0.1 "$upstream_port" --directory packaging/dev/www \
  >var/dev/upstream.log 2>&1 &
upstream_pid=$!
trap 'kill "$upstream_pid" 2>/dev/null' EXIT

cat <<MSG

Development CA:      var/pki (root and issuing CA, CRL in var/pki/crl.pem)
Demo PC certificate: $dev/demo-pc.p12 (password in $dev/demo-pc.p12.password)
Hospital media:      var/pki/bundles/1310000001
Gateway policy:      var/dev/gateway.yaml    audit log: var/dev/audit/gateway.jsonl

nanbyo-gateway listens on https://127.0.0.1:$port and requires a PC certificate
issued by the development CA. Try, in another terminal:
  curl --cacert var/pki/ca-chain.crt --cert $dev/demo-pc.crt --key $dev/demo-pc.key https://127.0.0.1:$port/
  curl http://127.0.0.1:$metrics_port/metrics
Revoke the demo PC: its open connections close at once and new handshakes fail:
  build/pki/nanbyo-pki --dir var/pki list --kind client
  build/pki/nanbyo-pki --dir var/pki revoke --serial <SERIAL> --reason key-compromise
Ctrl-C stops the gateway and the stand-in upstream.
MSG

"$build/gateway/nanbyo-gateway" --policy var/dev/gateway.yaml --threads "$(nproc)"
