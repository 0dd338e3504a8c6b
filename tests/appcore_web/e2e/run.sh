#!/usr/bin/env bash
# Runs the browser scenario: installs playwright-core from package-lock.json
# (npm ci) only when node_modules is missing, then scenario.py.
# usage: run.sh <nanbyo-gateway> <nanbyo-pki> <nanbyo-appcore> <artifacts dir>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
exec /usr/bin/python3 "$here/scenario.py" "$@"
