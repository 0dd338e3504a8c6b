#!/usr/bin/env bash
# `make run`: a development appliance on loopback with its embedded defaults.
# Creates the development CA under ./var/pki (once), a server certificate for
# 127.0.0.1/localhost and one demo hospital-PC certificate as PKCS#12, then
# starts nanbyo-appcore on a UNIX socket (its database, master key and the
# first operator's ID/password under ./var/dev/appcore, once), a private
# D-Bus for the gateway's control service, an SMTP catcher that stores the
# key-file mails in ./var/dev/mail (Maildir), and nanbyo-gateway on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
pki() { "$build/pki/nanbyo-pki" --dir var/pki "$@"; }
dev=var/pki/dev
port=${NANBYO_DEV_PORT:-8443}

[ -f var/pki/ca.db ] || pki init
[ -f $dev/server.crt ] || pki issue server --dns localhost --ip 127.0.0.1 --out $dev/server
if [ ! -f $dev/demo-pc.p12 ]; then
  # The demo PC makes its own key and sends a CSR, as production PCs should (issue 13): the CA
  # never holds it. Its PKCS#12 is made here, on the "PC", for the browser.
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=demo-pc \
    -keyout $dev/demo-pc.key -out $dev/demo-pc.csr 2>/dev/null
  pki issue client --hospital 1310000001 --terminal demo-pc --csr $dev/demo-pc.csr --out $dev/demo-pc
  openssl rand -hex 12 >$dev/demo-pc.p12.password
  openssl pkcs12 -export -inkey $dev/demo-pc.key -in $dev/demo-pc.crt -certfile var/pki/ca-chain.crt \
    -name demo-pc -passout file:$dev/demo-pc.p12.password -out $dev/demo-pc.p12
fi
pki crl >/dev/null
# The media take their PCs' PKCS#12 files with them (the CA keeps no copy): a PC of its own.
if [ ! -d var/pki/bundles/1310000001 ]; then
  pki issue client --hospital 1310000001 --terminal media-pc-01 --out $dev/media-pc-01 \
    --password-file $dev/media-pc-01.p12.password >/dev/null
  pki bundle --tunnel full --hospital 1310000001 --server "127.0.0.1:$port"  # the policy's default
fi

metrics_port=${NANBYO_DEV_METRICS_PORT:-9851}
smtp_port=${NANBYO_DEV_SMTP_PORT:-2525}
dev_dir=var/dev
app_dir=$dev_dir/appcore
mkdir -p "$app_dir" "$dev_dir/mail"
chmod 700 "$app_dir"
socket="$PWD/$dev_dir/appcore.sock"
bus="unix:path=$PWD/$dev_dir/bus"
sed -e "s/@PORT@/$port/" -e "s/@METRICS_PORT@/$metrics_port/" -e "s|@APPCORE_SOCKET@|$socket|" \
  packaging/dev/gateway.yaml.in > $dev_dir/gateway.yaml

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# The gateway's control bus (RevokeUser), private to this run.
rm -f "$dev_dir/bus"
dbus-daemon --session --nofork --nopidfile --address="$bus" >$dev_dir/dbus.log 2>&1 &
pids+=($!)
# Key-file mails (ID-4) land in var/dev/mail/new as files instead of being sent
# (a relay on this host: nanbyo-appcore is told --smtp-tls none for it).
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox \
  "$dev_dir/mail" >$dev_dir/smtp.log 2>&1 &
pids+=($!)

core=(--database "$app_dir/appcore.db" --master-key "$app_dir/master.key" --create-master-key
      --audit-log "$dev_dir/audit/appcore.jsonl" --gateway-audit-log "$dev_dir/audit/gateway.jsonl")
if [ ! -f "$app_dir/operator.txt" ]; then
  (umask 077; "$build/appcore/web/nanbyo-appcore" bootstrap-operator --name "開発 運用者" "${core[@]}" \
    > "$app_dir/operator.txt")
fi
"$build/appcore/web/nanbyo-appcore" serve "${core[@]}" --listen "unix:$socket" \
  --gateway-bus "$bus" --form-definitions appcore/forms/definitions --smtp-url "smtp://127.0.0.1:$smtp_port" --smtp-tls none --gateway-user "$(id -u)" --mail-from nanbyo-db@localhost \
  >$dev_dir/appcore.log 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || { echo "nanbyo-appcore did not start:"; cat $dev_dir/appcore.log; exit 1; }

cat <<MSG

Development CA:      var/pki (root and issuing CA, CRL in var/pki/crl.pem)
Demo PC certificate: $dev/demo-pc.p12 (password in $dev/demo-pc.p12.password)
Hospital media:      var/pki/bundles/1310000001
Gateway policy:      $dev_dir/gateway.yaml    audit logs: $dev_dir/audit/
Application core:    nanbyo-appcore on unix:$socket (log $dev_dir/appcore.log)
First operator:      $app_dir/operator.txt (ID and initial password, shown once at creation)
Mails (key files):   $dev_dir/mail/new/

nanbyo-gateway listens on https://127.0.0.1:$port and requires a PC certificate
issued by the development CA: import $dev/demo-pc.p12 into the browser and open
https://localhost:$port/ (log in as the operator, register a municipality and
its administrator under 運用管理, then log in as that administrator). Or:
  curl --cacert var/pki/ca-chain.crt --cert $dev/demo-pc.crt --key $dev/demo-pc.key https://127.0.0.1:$port/login
  curl http://127.0.0.1:$metrics_port/metrics
Revoke the demo PC: its open connections close at once and new handshakes fail:
  build/pki/nanbyo-pki --dir var/pki list --kind client
  build/pki/nanbyo-pki --dir var/pki revoke --serial <SERIAL> --reason key-compromise
Ctrl-C stops the gateway, nanbyo-appcore, the bus and the mail catcher.
MSG

"$build/gateway/nanbyo-gateway" --policy $dev_dir/gateway.yaml --threads "$(nproc)" --control-bus "$bus"
