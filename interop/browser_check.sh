#!/usr/bin/env bash
# The explorer in a real browser: headless Chromium and chromedriver from the distribution's
# packages (installed here when missing; nothing downloads a browser), Selenium from PyPI in a
# venv of its own (so as not to move the interop venv's pins), against the example server on a
# new database and the demo key it prints.
# Leaves a screenshot of the copy page at target/browser-check/copy-page.png and prints its path.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
fi

source interop/common.sh
interop_venv target/browser-venv interop/browser-requirements.txt
start_copy_server browser.db /api/docs/

# The demo key the server printed: `export SCALR_API_KEY_ID=... SCALR_API_SECRET_KEY=...`.
key_line=$(grep -m1 'export SCALR_API_KEY_ID=' "$work/server.out") || {
    echo "FAILED: the server printed no demo key"; cat "$work/server.out" "$work/server.log"; exit 1;
}
key_id=$(sed -E 's/.*SCALR_API_KEY_ID=([^ ]+).*/\1/' <<<"$key_line")
secret=$(sed -E 's/.*SCALR_API_SECRET_KEY=([^ ]+).*/\1/' <<<"$key_line")

mkdir -p target/browser-check
screenshot="$PWD/target/browser-check/copy-page.png"
# The demo environment 1 and its Ubuntu image in us-east-1.
"$venv/bin/python" interop/browser_check.py "http://127.0.0.1:$port" "$key_id" "$secret" \
    1 3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c us-east-1 "$screenshot"
