#!/usr/bin/env bash
# schemathesis against the example server: every check but the by-design 404 for an undeclared
# method (interop/schemathesis.toml), the examples, coverage, fuzzing and stateful phases, a fixed
# seed. Starts its own copy_server on a temporary database; fails on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

source interop/common.sh
interop_venv target/interop-venv interop/requirements.txt
keys=examples/copy_server/keys.example.json
first_key_of "$keys"
SCALR_KEY_ID=$key_id SCALR_SECRET=$secret
export SCALR_KEY_ID SCALR_SECRET
start_copy_server schemathesis.db /api/user.v1beta0.yml --keys "$keys"

SCHEMATHESIS_HOOKS=interop.schemathesis_hooks PYTHONPATH=. timeout 600 "$venv/bin/schemathesis" \
    --config-file interop/schemathesis.toml run "http://127.0.0.1:$port/api/user.v1beta0.yml" \
    --url "http://127.0.0.1:$port/api/v1beta0/user" --checks all --exclude-checks unsupported_method \
    --max-time 300 --no-color "$@"
