#!/usr/bin/env bash
# schemathesis against the example server: every check but the by-design 404 for an undeclared
# method (interop/schemathesis.toml), the examples, coverage, fuzzing and stateful phases, a fixed
# seed. Starts its own copy_server on a temporary database; fails on any failure.
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
SCALR_KEY_ID=$("$venv/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["keys"][0]["id"])' "$keys")
SCALR_SECRET=$("$venv/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["keys"][0]["secret"])' "$keys")
export SCALR_KEY_ID SCALR_SECRET

target/debug/examples/copy_server --listen "127.0.0.1:$port" --keys "$keys" --db "$work/schemathesis.db" \
    >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/api/user.v1beta0.yml" >/dev/null && break
    sleep 0.1
done

SCHEMATHESIS_HOOKS=interop.schemathesis_hooks PYTHONPATH=. timeout 600 "$venv/bin/schemathesis" \
    --config-file interop/schemathesis.toml run "http://127.0.0.1:$port/api/user.v1beta0.yml" \
    --url "http://127.0.0.1:$port/api/v1beta0/user" --checks all --exclude-checks unsupported_method \
    --max-time 300 --no-color "$@"
