#!/usr/bin/env bash
# Real-client interop: starts the example server, validates its specs with
# openapi-spec-validator, then drives it with scalr-ctl 7.16.2 and the scalr-api 1.0.1 library.
# The Python packages come from PyPI into a venv this script creates. Fails on any client error.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/interop-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r interop/requirements.txt

cargo build --quiet --example copy_server
work=$(mktemp -d)
port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
keys=examples/copy_server/keys.example.json
key_id=$("$venv/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["keys"][0]["id"])' "$keys")
secret=$("$venv/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["keys"][0]["secret"])' "$keys")
source_image=3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c

target/debug/examples/copy_server --listen "127.0.0.1:$port" --keys "$keys" --db "$work/interop.db" \
    >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/api/user.v1beta0.yml" >/dev/null && break
    sleep 0.1
done

echo "== openapi-spec-validator (Swagger 2.0 and OpenAPI 3.1)"
"$venv/bin/python" interop/validate_spec.py "http://127.0.0.1:$port"
echo "== scalr-ctl 7.16.2"
"$venv/bin/python" interop/scalr_ctl_check.py "127.0.0.1:$port" "$key_id" "$secret" 1 "$source_image"
echo "== scalr-api 1.0.1"
"$venv/bin/python" interop/scalr_api_check.py "http://127.0.0.1:$port" "$key_id" "$secret" 1 "$source_image"
